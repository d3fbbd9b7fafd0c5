import Foundation
import NIOCore
import NIOPosix

/// What stands between the network and Vapor's HTTP/1 server: SwiftNIO's parser closes the
/// connection without a word when a request head passes 80 KB (a 100 KB address, a cookie
/// bomb), before any middleware can answer, and Vapor lets no handler into its pipeline. The
/// front reads each request head itself, answers 414 (or 431) when it is too large, and relays
/// everything else byte for byte to Vapor on a private socket, adding the client's address as
/// `X-Forwarded-For` (which the server trusts only from the front).
///
/// Request framing follows `Content-Length`; a request that frames its body otherwise
/// (`Transfer-Encoding`) is relayed as is and its connection closed after the answer, so the
/// front and Vapor never disagree about where a request ends.
struct RequestFramer {
    /// Heads above this are answered here; below it Vapor's own limits and middleware apply.
    static let maxHead = 64 * 1024
    /// An address longer than this is "URI too long" (RequestLimitsMiddleware uses the same).
    static let maxURI = 8 * 1024

    enum State: Equatable { case head, body(remaining: Int), passthrough, refused }
    enum Action: Equatable {
        case forward([UInt8])
        /// Answer this and close the connection.
        case refuse([UInt8])
    }

    private(set) var state = State.head
    private var head: [UInt8] = []
    let client: String
    /// Behind a trusted reverse proxy (MOTCUA_TRUST_FORWARDED=1) its `X-Forwarded-For` is kept
    /// (it names the real client, first); otherwise a client's own is dropped.
    let keepForwarded: Bool

    init(client: String, keepForwarded: Bool = false) {
        self.client = client
        self.keepForwarded = keepForwarded
    }

    mutating func consume(_ bytes: [UInt8]) -> [Action] {
        var actions: [Action] = []
        var input = bytes[...]
        while !input.isEmpty {
            switch state {
            case .refused:
                return actions
            case .passthrough:
                actions.append(.forward(Array(input)))
                return actions
            case .body(let remaining):
                let n = min(remaining, input.count)
                actions.append(.forward(Array(input.prefix(n))))
                input = input.dropFirst(n)
                state = remaining - n == 0 ? .head : .body(remaining: remaining - n)
            case .head:
                let searchFrom = max(0, head.count - 3)
                head.append(contentsOf: input)
                input = []
                guard let end = head.firstIndex(of: [13, 10, 13, 10], from: searchFrom) else {
                    if head.count > Self.maxHead { return actions + [refuse(head)] }
                    return actions
                }
                let rest = head[(end + 4)...]
                let complete = Array(head[..<(end + 4)])
                head = []
                if complete.count > Self.maxHead { return actions + [refuse(complete)] }
                let (rewritten, next) = rewrite(complete)
                actions.append(.forward(rewritten))
                state = next
                input = rest
            }
        }
        return actions
    }

    /// 414 when the request line is what is too long, else 431.
    private mutating func refuse(_ head: [UInt8]) -> Action {
        state = .refused
        self.head = []
        let lineEnd = head.firstIndex(of: [13, 10], from: 0) ?? head.count
        let (status, reason, detail) = lineEnd > Self.maxURI
            ? ("414", "URI Too Long", "Địa chỉ yêu cầu quá dài (tối đa \(Self.maxURI) ký tự).")
            : ("431", "Request Header Fields Too Large", "Phần đầu yêu cầu quá lớn.")
        let body = "{\"type\":\"about:blank\",\"title\":\"\(reason)\",\"status\":\(status),\"detail\":\"\(detail)\"}"
        let response = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/problem+json; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n"
            + "Content-Security-Policy: \(SecurityHeadersMiddleware.contentSecurityPolicy)\r\n\r\n" + body
        return .refuse(Array(response.utf8))
    }

    /// The head with the client's address in `X-Forwarded-For` (the client's own dropped), and the
    /// state that follows it.
    private func rewrite(_ head: [UInt8]) -> ([UInt8], State) {
        var lines = head.split(separator: 10, omittingEmptySubsequences: false).map { line in
            line.last == 13 ? Array(line.dropLast()) : Array(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { return (head, .passthrough) }
        var kept: [[UInt8]] = [requestLine]
        var lengths: [String] = []
        var otherFraming = false
        for line in lines.dropFirst() {
            let text = String(decoding: line, as: UTF8.self)
            let name = text.split(separator: ":", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch name {
            case "x-forwarded-for" where !keepForwarded: continue
            case "content-length": lengths.append(text.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "")
            case "transfer-encoding", "upgrade": otherFraming = true
            default: break
            }
            kept.append(line)
        }
        kept.append(Array("X-Forwarded-For: \(client)".utf8))
        var next = State.head
        if otherFraming || lengths.count > 1 {
            // Relayed as is; Vapor answers and closes, and nothing after it is framed here.
            kept = kept.filter { !String(decoding: $0, as: UTF8.self).lowercased().hasPrefix("connection:") }
            kept.append(Array("Connection: close".utf8))
            next = .passthrough
        } else if let length = lengths.first {
            if let n = Int(length), n >= 0, length.allSatisfy(\.isNumber) {
                next = n == 0 ? .head : .body(remaining: n)
            } else {
                kept.append(Array("Connection: close".utf8))
                next = .passthrough
            }
        }
        var out: [UInt8] = []
        for line in kept { out += line + [13, 10] }
        return (out + [13, 10], next)
    }
}

/// The listening side of the front: accepts clients and pairs each with a connection to Vapor.
enum RequestFront {
    static func start(host: String, port: Int, backend: String, keepForwarded: Bool, group: any EventLoopGroup) async throws -> any Channel {
        let address = try SocketAddress(unixDomainSocketPath: backend)
        return try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let peer = channel.remoteAddress?.ipAddress ?? "unknown"
                    try channel.pipeline.syncOperations.addHandler(FrontHandler(client: peer, keepForwarded: keepForwarded, backend: address))
                }
            }
            .bind(host: host, port: port).get()
    }
}

/// One client connection: frames its requests, relays them to Vapor and the answers back.
final class FrontHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var framer: RequestFramer
    private let backendAddress: SocketAddress
    private var backend: (any Channel)?
    private var pending: [ByteBuffer] = []
    private var closed = false

    init(client: String, keepForwarded: Bool, backend: SocketAddress) {
        framer = RequestFramer(client: client, keepForwarded: keepForwarded)
        backendAddress = backend
    }

    func channelActive(context: ChannelHandlerContext) {
        connect(context: context, attempt: 0)
        context.fireChannelActive()
    }

    /// Vapor may still be binding its socket when the first clients arrive: a few retries.
    private func connect(context: ChannelHandlerContext, attempt: Int) {
        let front = context.channel
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(BackHandler(front: front)) }
            }
            .connect(to: backendAddress)
            .whenComplete { result in
                let (handler, context) = loopBound.value
                switch result {
                case .success(let channel):
                    guard !handler.closed else { channel.close(promise: nil); return }
                    handler.backend = channel
                    for buffer in handler.pending { channel.write(buffer, promise: nil) }
                    handler.pending = []
                    channel.flush()
                case .failure:
                    if attempt < 40, !handler.closed {
                        context.eventLoop.scheduleTask(in: .milliseconds(50)) {
                            let (handler, context) = loopBound.value
                            handler.connect(context: context, attempt: attempt + 1)
                        }
                    } else {
                        context.close(promise: nil)
                    }
                }
            }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        for action in framer.consume(bytes) {
            switch action {
            case .forward(let bytes):
                let out = context.channel.allocator.buffer(bytes: bytes)
                if let backend {
                    backend.writeAndFlush(out, promise: nil)
                    // A client faster than the server: stop reading it until the server has caught up.
                    if !backend.isWritable { context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in } }
                } else {
                    pending.append(out)
                }
            case .refuse(let answer):
                let out = context.channel.allocator.buffer(bytes: answer)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    /// The client took what the server sent: read the server again.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { backend?.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        backend?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The connection to Vapor: its answers go back to the client as they come.
final class BackHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let front: any Channel

    init(front: any Channel) { self.front = front }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        front.writeAndFlush(unwrapInboundIn(data), promise: nil)
        // A client slower than the server (a large download): stop reading the server meanwhile.
        if !front.isWritable { context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in } }
    }

    /// The server took what the client sent: read the client again.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { front.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        front.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
