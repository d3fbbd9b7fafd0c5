import Foundation

/// One line of a year's official schedule.
public struct ScheduleEntry: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A day without work: a public holiday, a compensatory day (nghỉ bù) or a swapped day.
        case dayOff = "day_off"
        /// A weekend day that is worked in exchange for a swapped day off (ngày làm bù).
        case workingDay = "working_day"

        public var vietnameseName: String {
            switch self {
            case .dayOff: "Ngày nghỉ"
            case .workingDay: "Ngày làm bù"
            }
        }
    }

    public var date: LocalDate
    public var kind: Kind
    public var description: String

    public init(date: LocalDate, kind: Kind, description: String) {
        self.date = date
        self.kind = kind
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case date, kind, description }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .date)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(forKey: .date, in: c, debugDescription: "Ngày không hợp lệ: \(text)")
        }
        self.date = date
        self.kind = try c.decode(Kind.self, forKey: .kind)
        self.description = try c.decode(String.self, forKey: .description)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date.iso, forKey: .date)
        try c.encode(kind, forKey: .kind)
        try c.encode(description, forKey: .description)
    }
}

/// The government's schedule for one year: which weekdays are off and which weekend days are worked.
/// Weekends and office hours are not listed; they come from `OfficeHours`.
public struct YearSchedule: Hashable, Sendable {
    public let year: Int
    public private(set) var entries: [ScheduleEntry]

    /// Entries are sorted by date; two entries for one date, or an entry of another year, are refused.
    public init(year: Int, entries: [ScheduleEntry]) throws(CalendarError) {
        guard LunarCalendar.supportedYears.contains(year) else { throw .yearOutOfRange(year) }
        var seen = Set<LocalDate>()
        for entry in entries {
            guard entry.date.year == year else { throw .entryOutsideYear(entry.date, year: year) }
            guard seen.insert(entry.date).inserted else { throw .duplicateDate(entry.date) }
        }
        self.year = year
        self.entries = entries.sorted { $0.date < $1.date }
    }

    public func entry(on date: LocalDate) -> ScheduleEntry? { entries.first { $0.date == date } }
}

/// Reads and writes year schedules as CSV (`date,kind,description`) or JSON
/// (an array of objects with the same three keys). A malformed file is refused as a whole,
/// naming the line of the first error.
public enum ScheduleFile {
    public enum Format: String, Sendable, CaseIterable {
        case csv, json

        /// The format of a file, from its extension.
        public init?(fileName: String) {
            let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
            self.init(rawValue: ext)
        }
    }

    public static let csvHeader = "date,kind,description"

    public static func encode(_ entries: [ScheduleEntry], as format: Format) -> String {
        switch format {
        case .csv:
            var lines = [csvHeader]
            for e in entries {
                lines.append(
                    [e.date.iso, e.kind.rawValue, CSV.quote(CSV.textCell(e.description))].joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        case .json:
            // Written by hand to keep the keys in the documented order: date, kind, description.
            let objects = entries.map { e in
                """
                  {\"date\": \(JSONText.quote(e.date.iso)), \"kind\": \(JSONText.quote(e.kind.rawValue)), \
                \"description\": \(JSONText.quote(e.description))}
                """
            }
            return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
        }
    }

    /// Parses a file into one schedule per year present, validated as a whole.
    public static func decode(_ text: String, as format: Format) throws(CalendarError) -> [YearSchedule] {
        let located: [(entry: ScheduleEntry, line: Int)]
        switch format {
        case .csv: located = try decodeCSV(text)
        case .json: located = try decodeJSON(text)
        }
        var byYear: [Int: [ScheduleEntry]] = [:]
        var seen: [LocalDate: Int] = [:]
        for (entry, line) in located {
            guard LunarCalendar.supportedYears.contains(entry.date.year) else {
                throw .malformedFile(line: line, reason: "năm \(entry.date.year) nằm ngoài khoảng 1900-2199")
            }
            if let first = seen[entry.date] {
                throw .malformedFile(line: line, reason: "ngày \(entry.date.iso) đã có ở dòng \(first)")
            }
            seen[entry.date] = line
            byYear[entry.date.year, default: []].append(entry)
        }
        return try byYear.keys.sorted().map { year throws(CalendarError) in
            try YearSchedule(year: year, entries: byYear[year]!)
        }
    }

    static func entry(date: String, kind: String, description: String, line: Int) throws(CalendarError) -> ScheduleEntry
    {
        guard let d = LocalDate(iso: date) else {
            throw .malformedFile(line: line, reason: "ngày \"\(date)\" không đúng dạng YYYY-MM-DD")
        }
        guard let k = ScheduleEntry.Kind(rawValue: kind) else {
            throw .malformedFile(line: line, reason: "loại \"\(kind)\" phải là day_off hoặc working_day")
        }
        return ScheduleEntry(date: d, kind: k, description: description)
    }

    static func decodeCSV(_ text: String) throws(CalendarError) -> [(entry: ScheduleEntry, line: Int)] {
        let records: [(fields: [String], line: Int)]
        do throws(CSV.ParseError) { records = try CSV.parse(text) } catch {
            throw .malformedFile(line: error.line, reason: error.reason)
        }
        guard let header = records.first else { throw .malformedFile(line: 1, reason: "tệp rỗng, thiếu dòng tiêu đề") }
        guard header.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == ["date", "kind", "description"] else {
            throw .malformedFile(line: header.line, reason: "dòng tiêu đề phải là \"\(csvHeader)\"")
        }
        var result: [(entry: ScheduleEntry, line: Int)] = []
        for record in records.dropFirst() {
            guard record.fields.count == 3 else {
                throw .malformedFile(line: record.line, reason: "cần đúng 3 cột, có \(record.fields.count)")
            }
            let e = try entry(
                date: record.fields[0].trimmingCharacters(in: .whitespaces),
                kind: record.fields[1].trimmingCharacters(in: .whitespaces),
                description: CSV.fromTextCell(record.fields[2]), line: record.line)
            result.append((e, record.line))
        }
        return result
    }

    /// Read by Foundation's JSONSerialization (it refuses nesting past 512 levels without
    /// recursing further); `JSONOutline` first refuses anything deeper than the format's two levels
    /// and finds the line of each entry, which Foundation does not say.
    static func decodeJSON(_ text: String) throws(CalendarError) -> [(entry: ScheduleEntry, line: Int)] {
        let bytes = Array(text.utf8)
        let outline = try JSONOutline(bytes)
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .malformedFile(
                line: outline.line(ofErrorIn: error), reason: "JSON không hợp lệ (sai cú pháp ở dòng này)")
        }
        guard let items = value as? [Any] else {
            throw .malformedFile(
                line: outline.firstLine, reason: "cần một mảng JSON các đối tượng {date, kind, description}")
        }
        var result: [(entry: ScheduleEntry, line: Int)] = []
        for (index, item) in items.enumerated() {
            let line = index < outline.itemLines.count ? outline.itemLines[index] : outline.firstLine
            guard let fields = item as? [String: Any] else {
                throw .malformedFile(line: line, reason: "mỗi phần tử phải là một đối tượng {date, kind, description}")
            }
            let keys = Set(fields.keys)
            guard keys == ["date", "kind", "description"] else {
                throw .malformedFile(
                    line: line,
                    reason: "cần đúng các khoá date, kind, description; có \(keys.sorted().joined(separator: ", "))")
            }
            var strings: [String: String] = [:]
            for key in keys.sorted() {
                guard let s = fields[key] as? String else {
                    throw .malformedFile(line: line, reason: "giá trị của \"\(key)\" phải là chuỗi")
                }
                strings[key] = s
            }
            result.append(
                (
                    try entry(
                        date: strings["date"]!, kind: strings["kind"]!, description: strings["description"]!, line: line
                    ), line
                ))
        }
        return result
    }
}

/// A schedule file's shape before it is parsed, in one pass without recursion: the nesting is
/// refused past `maxDepth` (an array of objects needs two levels; 5,000 `[` once overflowed the
/// stack of a recursive reader), and the line of each element of the top-level array is kept, so
/// that an error names its line.
struct JSONOutline {
    static let maxDepth = 8
    private(set) var itemLines: [Int] = []
    private(set) var firstLine = 1
    private var lineStarts: [Int] = [0]

    init(_ bytes: [UInt8]) throws(CalendarError) {
        var depth = 0, line = 1, inString = false, escaped = false, expectItem = false, seenValue = false
        for (offset, byte) in bytes.enumerated() {
            if byte == 0x0A {
                line += 1
                lineStarts.append(offset + 1)
            }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            let space = byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            if !space, !seenValue {
                seenValue = true
                firstLine = line
            }
            if !space, expectItem, depth == 1, byte != 0x5D {
                itemLines.append(line)
                expectItem = false
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                guard depth <= Self.maxDepth else {
                    throw .malformedFile(line: line, reason: "JSON lồng nhau quá sâu (quá \(Self.maxDepth) cấp)")
                }
                if depth == 1, byte == 0x5B { expectItem = true }
            case 0x5D, 0x7D: depth -= 1
            case 0x2C where depth == 1: expectItem = true
            default: break
            }
        }
    }

    /// The line of the byte offset that JSONSerialization names ("... around character 19."), else
    /// the first line.
    func line(ofErrorIn error: any Error) -> Int {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        guard let range = text.range(of: #"character (\d+)"#, options: .regularExpression),
            let offset = Int(text[range].dropFirst("character ".count))
        else { return firstLine }
        return lineStarts.lastIndex { $0 <= offset }.map { $0 + 1 } ?? firstLine
    }
}
