import Foundation
import Testing
@testable import MotCuaServer

/// The front's reading of request heads: what it relays, what it answers itself.
@Suite struct RequestFramerTests {
    func text(_ actions: [RequestFramer.Action]) -> String {
        actions.map { action -> String in
            switch action {
            case .forward(let bytes): String(decoding: bytes, as: UTF8.self)
            case .refuse(let bytes): "REFUSED " + String(decoding: bytes, as: UTF8.self)
            }
        }.joined()
    }

    @Test func headsGetTheClientAddressAndBodiesPassAsTheyCome() {
        var framer = RequestFramer(client: "203.0.113.7")
        var out = framer.consume(Array("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nContent-Length: 11\r\n\r\n{\"a\":".utf8))
        out += framer.consume(Array("\"bcd\"}GET / HTTP/1.1\r\nHo".utf8))
        #expect(framer.state == .head)
        out += framer.consume(Array("st: x\r\n\r\n".utf8))
        #expect(text(out) == "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n{\"a\":\"bcd\"}"
            + "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n")
        // Behind a trusted proxy its address is kept first.
        var trusted = RequestFramer(client: "10.0.0.1", keepForwarded: true)
        #expect(text(trusted.consume(Array("GET / HTTP/1.1\r\nX-Forwarded-For: 198.51.100.2\r\n\r\n".utf8)))
            == "GET / HTTP/1.1\r\nX-Forwarded-For: 198.51.100.2\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n")
    }

    @Test func otherFramingIsRelayedAndTheConnectionCloses() {
        var framer = RequestFramer(client: "c")
        let out = framer.consume(Array("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /".utf8))
        #expect(framer.state == .passthrough)
        #expect(text(out) == "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For: c\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /")
        var twoLengths = RequestFramer(client: "c")
        _ = twoLengths.consume(Array("POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".utf8))
        #expect(twoLengths.state == .passthrough)
    }

    @Test func overlongHeadsAreAnsweredHere() {
        var framer = RequestFramer(client: "c")
        let line = "GET /api/v1/dossiers?q=" + String(repeating: "a", count: 100_000)
        var out = framer.consume(Array(line.prefix(50_000).utf8))
        #expect(out.isEmpty)
        out = framer.consume(Array((line.dropFirst(50_000) + " HTTP/1.1\r\n\r\n").utf8))
        #expect(text(out).hasPrefix("REFUSED HTTP/1.1 414 URI Too Long\r\n") && text(out).contains("Địa chỉ yêu cầu quá dài"))
        #expect(framer.consume(Array("GET / HTTP/1.1\r\n\r\n".utf8)).isEmpty)   // nothing more is read
        var headers = RequestFramer(client: "c")
        let big = headers.consume(Array(("GET / HTTP/1.1\r\nCookie: " + String(repeating: "b", count: 70_000) + "\r\n\r\n").utf8))
        #expect(text(big).hasPrefix("REFUSED HTTP/1.1 431 "))
        // A head that never ends is refused once it passes the limit.
        var endless = RequestFramer(client: "c")
        #expect(text(endless.consume(Array(String(repeating: "G", count: 70_000).utf8))).hasPrefix("REFUSED HTTP/1.1 414"))
    }
}
