import MotCuaCore
import CQRencode
#if canImport(Glibc)
import Glibc
#endif

/// A QR code symbol encoded by libqrencode, as a square of dark and light modules, drawn as SVG for
/// the printed forms (and as a PGM image for tests that read it back with a real decoder).
public struct QRCode: Sendable, Equatable {
    public enum Failure: Error, Equatable { case tooLong(bytes: Int), encoder(errno: Int32) }

    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row by row, `true` is dark.
    public let modules: [Bool]

    /// Encodes the UTF-8 bytes of `text` (8-bit mode, level M: a smudged print still reads).
    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        // Version 40 at level M holds 2,331 bytes; refuse early with a clear reason.
        guard bytes.count <= 2_331 else { throw Failure.tooLong(bytes: bytes.count) }
        guard
            let symbol = bytes.withUnsafeBufferPointer({
                QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, QR_ECLEVEL_M)
            })
        else {
            throw Failure.encoder(errno: errno)
        }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        size = width
        modules = (0..<(width * width)).map { symbol.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// An SVG of the symbol with a quiet zone of four modules, scalable to any printed size.
    public func svg(sideInMillimetres side: Double, title: String) -> String {
        let full = size + 8
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard isDark(row: row, column: column) else { column += 1; continue }
                let start = column
                while column < size, isDark(row: row, column: column) { column += 1 }
                path += "M\(start + 4) \(row + 4)h\(column - start)v1h-\(column - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(side)mm" height="\(side)mm" viewBox="0 0 \(full) \
            \(full)" role="img" shape-rendering="crispEdges">\
            <title>\(XMLText.escape(title))</title><rect width="\(full)" height="\(full)" fill="#fff"/><path \
            fill="#000" d="\(path)"/></svg>
            """
    }

    /// A binary PGM (P5) image, `scale` pixels a module, with the quiet zone.
    public func pgm(scale: Int = 4) -> [UInt8] {
        let full = (size + 8) * scale
        var out = Array("P5\n\(full) \(full)\n255\n".utf8)
        out.reserveCapacity(out.count + full * full)
        for y in 0..<full {
            for x in 0..<full {
                let row = y / scale - 4, column = x / scale - 4
                let dark = row >= 0 && row < size && column >= 0 && column < size && isDark(row: row, column: column)
                out.append(dark ? 0 : 255)
            }
        }
        return out
    }

}
