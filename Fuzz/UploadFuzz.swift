// libFuzzer harness for the upload readers of the server: the multipart/form-data reader and the
// file-type checks (PDF, PNG, JPEG, DOCX/XLSX, DOC/XLS). Built with those three source files by
// scripts/fuzz (they use Foundation only). A crash or sanitizer report is a finding.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUpload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    _ = FileFormat.kind(of: bytes)
    // The first byte picks a boundary length, so that both short and long boundaries are tried.
    if let first = bytes.first {
        let boundary = Array("motcua-boundary-0123456789".utf8.prefix(Int(first % 26) + 1))
        let rest = UnsafeBufferPointer(rebasing: bytes.dropFirst())
        if let parts = try? MultipartBody.parts(rest, boundary: boundary) {
            for part in parts { _ = part.disposition("name"); _ = part.disposition("filename") }
        }
    }
    return 0
}
