// libFuzzer harness for the readers of the pure core: the schedule file (JSON and CSV), the CSV
// reader, and the text checks behind every form. Built with the core's sources by scripts/fuzz.
// Any crash, trap or sanitizer report is a finding; a thrown error is a correct refusal.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScheduleFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? ScheduleFile.decode(text, as: .json)
    _ = try? ScheduleFile.decode(text, as: .csv)
    if let records = try? CSV.parse(text) {
        // What is read back from a written record is what was written.
        for record in records.prefix(4) {
            let line = record.fields.map { CSV.quote(CSV.textCell($0)) }.joined(separator: ",")
            guard let again = try? CSV.parse(line + "\n"), let fields = again.first?.fields else { continue }
            if fields.map(CSV.fromTextCell) != record.fields, !(record.fields.count == 1 && record.fields[0].isEmpty) {
                fatalError("CSV round trip changed \(record.fields) into \(fields)")
            }
        }
    }
    _ = TextInput.isClean(text, multiline: true)
    let escaped = XMLText.escape(text)
    if escaped.unicodeScalars.contains(where: { !XMLText.isAllowed($0) }) { fatalError("XMLText left a forbidden character") }
    return 0
}
