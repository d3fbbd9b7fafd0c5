import Foundation

/// Errors of the calendar and deadline arithmetic, each with a Vietnamese message for the user.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    case yearOutOfRange(Int)
    case instantOutOfRange(Date)
    case entryOutsideYear(LocalDate, year: Int)
    case duplicateDate(LocalDate)
    case malformedFile(line: Int, reason: String)
    case invalidDuration(String)
    case invalidOfficeHours(String)
    case alreadyPaused
    case notPaused
    case beforeReceipt
    case apologyAlreadyGiven
    case apologyNotLater(newAppointment: Date, due: Date)

    public var message: String {
        switch self {
        case .yearOutOfRange(let y):
            "Năm \(y) nằm ngoài khoảng lịch hỗ trợ (1900-2199)."
        case .instantOutOfRange(let d):
            "Thời điểm \(VietnamTime.iso(d)) nằm ngoài khoảng lịch hỗ trợ (1900-2199)."
        case .entryOutsideYear(let d, let y):
            "Ngày \(d.vietnamese) không thuộc năm \(y)."
        case .duplicateDate(let d):
            "Ngày \(d.vietnamese) xuất hiện hai lần trong lịch."
        case .malformedFile(let line, let reason):
            "Tệp lịch không hợp lệ ở dòng \(line): \(reason). Không có thay đổi nào được ghi."
        case .invalidDuration(let why):
            "Thời hạn giải quyết không hợp lệ: \(why)."
        case .invalidOfficeHours(let why):
            "Giờ làm việc không hợp lệ: \(why)."
        case .alreadyPaused:
            "Hồ sơ đang tạm dừng tính thời gian, không thể tạm dừng lần nữa."
        case .notPaused:
            "Hồ sơ không ở trạng thái tạm dừng tính thời gian."
        case .beforeReceipt:
            "Thời điểm không được trước thời điểm tiếp nhận hoặc sự kiện trước đó."
        case .apologyAlreadyGiven:
            "Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả; chỉ được xin lỗi một lần."
        case .apologyNotLater(let new, let due):
            "Ngày hẹn trả mới (\(VietnamTime.iso(new))) phải sau ngày hẹn hiện tại (\(VietnamTime.iso(due)))."
        }
    }

    public var description: String { message }
}
