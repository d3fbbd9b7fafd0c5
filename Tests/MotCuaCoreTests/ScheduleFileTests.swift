import Testing
@testable import MotCuaCore

@Suite struct ScheduleFileTests {
    @Test(arguments: ScheduleFile.Format.allCases)
    func roundTrip(format: ScheduleFile.Format) throws {
        var entries = try HolidayRules.standard.schedule(for: 2025).entries
        entries.append(ScheduleEntry(date: LocalDate(iso: "2025-04-26")!, kind: .workingDay, description: "Làm bù cho ngày 2/5, \"hoán đổi\""))
        let text = ScheduleFile.encode(entries, as: format)
        let decoded = try ScheduleFile.decode(text, as: format)
        #expect(decoded.count == 1)
        #expect(decoded[0].year == 2025)
        #expect(decoded[0].entries == entries.sorted { $0.date < $1.date })
    }

    @Test func csvLayout() throws {
        let entries = [ScheduleEntry(date: LocalDate(iso: "2026-01-01")!, kind: .dayOff, description: "Tết Dương lịch")]
        #expect(ScheduleFile.encode(entries, as: .csv) == "date,kind,description\n2026-01-01,day_off,Tết Dương lịch\n")
        #expect(ScheduleFile.encode(entries, as: .json) == "[\n  {\"date\": \"2026-01-01\", \"kind\": \"day_off\", \"description\": \"Tết Dương lịch\"}\n]\n")
    }

    @Test func severalYearsInOneFile() throws {
        let text = "date,kind,description\n2025-05-02,day_off,Hoán đổi\n2026-01-02,day_off,Nghỉ thêm\n2025-04-26,working_day,Làm bù\n"
        let years = try ScheduleFile.decode(text, as: .csv)
        #expect(years.map(\.year) == [2025, 2026])
        #expect(years[0].entries.map(\.date.iso) == ["2025-04-26", "2025-05-02"])
    }

    @Test(arguments: [
        ("", 1),
        ("day,kind,description\n", 1),
        ("date,kind,description\n2025-01-01,day_off,ok\n2025-13-01,day_off,bad month\n", 3),
        ("date,kind,description\n2025-01-01,holiday,bad kind\n", 2),
        ("date,kind,description\n2025-01-01,day_off\n", 2),
        ("date,kind,description\n2025-01-01,day_off,a\n\n2025-01-01,day_off,again\n", 4),
        ("date,kind,description\n2025-01-01,day_off,\"unterminated\n", 2),
        ("date,kind,description\n2300-01-01,day_off,far\n", 2),
    ])
    func csvErrorsNameTheLine(text: String, line: Int) {
        #expect(throws: CalendarError.self) { try ScheduleFile.decode(text, as: .csv) }
        do {
            _ = try ScheduleFile.decode(text, as: .csv)
        } catch {
            guard case .malformedFile(let l, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(l == line)
        }
    }

    @Test(arguments: [
        ("{}", 1),
        ("[\n  {\"date\": \"2025-01-01\", \"kind\": \"day_off\", \"description\": \"x\"},\n  {\"date\": \"2025-02-30\", \"kind\": \"day_off\", \"description\": \"x\"}\n]", 3),
        ("[\n  {\"date\": \"2025-01-01\", \"kind\": \"day_off\"}\n]", 2),
        ("[\n  {\"date\": \"2025-01-01\",\n   \"kind\": \"day_off\",\n   \"description\": 3}\n]", 2),
        ("[\n  {\"date\": \"2025-01-01\", \"kind\": \"day_off\", \"description\": \"x\"}\n  {\"date\": \"2025-01-02\"}\n]", 3),
    ])
    func jsonErrorsNameTheLine(text: String, line: Int) {
        do {
            _ = try ScheduleFile.decode(text, as: .json)
            Issue.record("accepted")
        } catch {
            guard case .malformedFile(let l, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(l == line)
        }
    }

    @Test func formatFromExtension() {
        #expect(ScheduleFile.Format(fileName: "lich-2025.CSV") == .csv)
        #expect(ScheduleFile.Format(fileName: "a/b.json") == .json)
        #expect(ScheduleFile.Format(fileName: "lich.xlsx") == nil)
    }
}
