import Foundation
import MotCuaTestSupport
import QRCode
import Testing

/// The symbols libqrencode makes are read back by a real decoder (zbarimg, Debian's zbar-tools).
struct QRCodeTests {
    func decode(_ code: QRCode) throws -> String {
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
        try Data(code.pgm()).write(to: image)
        defer { try? FileManager.default.removeItem(at: image) }
        let result = try MotcuaProcess.run(program: URL(fileURLWithPath: "/usr/bin/zbarimg"), ["--raw", "-q", "-Sbinary", image.path])
        #expect(result.status == 0)
        var text = result.out
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    @Test func aReceiptPayloadDecodesToTheSameText() throws {
        let payload = """
            Mã hồ sơ: 000.00.12.H28-261130-0001
            Thủ tục: 1.001757 - Cấp phiếu lý lịch tư pháp
            Số định danh: 093201000123
            Văn bản: Giấy tiếp nhận hồ sơ và hẹn trả kết quả
            Hệ thống: MotCua - UBND tỉnh Hậu Giang
            Thời gian: 30/11/2026 08:15
            https://motcua.haugiang.gov.vn/tra-cuu?ma=000.00.12.H28-261130-0001
            """
        let code = try QRCode(payload)
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0)
        #expect(try decode(code) == payload)
    }

    @Test func theSVGDrawsEveryDarkModuleInsideTheQuietZone() throws {
        let code = try QRCode("https://example.gov.vn/tra-cuu")
        let svg = code.svg(sideInMillimetres: 25, title: "a < b")
        #expect(svg.hasPrefix("<svg") && svg.contains("viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
        #expect(svg.contains("<title>a &lt; b</title>"))
        // The top-left finder pattern: a run of seven dark modules at (4, 4).
        #expect(svg.contains("M4 4h7v1h-7z"))
    }

    @Test func tooLongATextIsRefusedWithItsLength() {
        #expect(throws: QRCode.Failure.tooLong(bytes: 3_000)) { try QRCode(String(repeating: "a", count: 3_000)) }
    }
}
