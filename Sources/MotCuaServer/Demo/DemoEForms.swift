import MotCuaCore

/// The demo procedures' declarations as e-forms (issue 22, point 3), in the administrator's text
/// (EForm.parse), by the national procedure number (the code's first two parts). A procedure
/// without its own gets the general request form.
enum DemoEForms {
    static let byProcedure: [String: (title: String, text: String)] = [
        "1.001978": (
            "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
            """
            Họ và tên | văn bản | bắt buộc
            Giới tính | lựa chọn | bắt buộc | Nam; Nữ
            Ngày sinh | ngày | bắt buộc
            Nơi sinh | văn bản | bắt buộc
            Số định danh cá nhân | số định danh | bắt buộc
            Nơi thường trú | địa chỉ | bắt buộc
            Họ và tên cha | văn bản | không bắt buộc
            Họ và tên mẹ | văn bản | không bắt buộc
            Loại phiếu yêu cầu cấp | lựa chọn | bắt buộc | Phiếu số 1; Phiếu số 2
            Số lượng phiếu yêu cầu cấp | số | bắt buộc
            Mục đích yêu cầu cấp Phiếu | văn bản | bắt buộc
            """
        ),
        "2.000575": (
            "Giấy đề nghị đăng ký hộ kinh doanh",
            """
            Tên hộ kinh doanh | văn bản | bắt buộc
            Địa chỉ trụ sở hộ kinh doanh | địa chỉ | bắt buộc
            Ngành, nghề kinh doanh | văn bản | bắt buộc
            Vốn kinh doanh (đồng) | số | bắt buộc
            Số lượng lao động | số | không bắt buộc
            Số định danh cá nhân của chủ hộ | số định danh | bắt buộc
            """
        ),
        "1.009994": (
            "Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ",
            """
            Địa điểm xây dựng | địa chỉ | bắt buộc
            Số thửa đất | văn bản | bắt buộc
            Diện tích xây dựng tầng 1 (m²) | số | bắt buộc
            Tổng diện tích sàn (m²) | số | bắt buộc
            Số tầng | số | bắt buộc
            Chiều cao công trình (m) | số | bắt buộc
            Dự kiến thời gian hoàn thành | ngày | không bắt buộc
            """
        ),
        "1.001193": (
            "Tờ khai đăng ký khai sinh",
            """
            Họ, chữ đệm, tên người được khai sinh | văn bản | bắt buộc
            Giới tính | lựa chọn | bắt buộc | Nam; Nữ
            Ngày sinh | ngày | bắt buộc
            Nơi sinh | địa chỉ | bắt buộc
            Họ và tên mẹ | văn bản | bắt buộc
            Số định danh cá nhân của mẹ | số định danh | bắt buộc
            Họ và tên cha | văn bản | không bắt buộc
            Quan hệ với người được khai sinh | lựa chọn | bắt buộc | Cha; Mẹ; Ông; Bà; Người thân thích khác
            """
        ),
    ]

    static let general = (
        "Đơn đề nghị giải quyết thủ tục hành chính",
        """
        Họ và tên người đề nghị | văn bản | bắt buộc
        Ngày sinh | ngày | bắt buộc
        Số định danh cá nhân | số định danh | bắt buộc
        Địa chỉ liên hệ | địa chỉ | bắt buộc
        Nội dung đề nghị | văn bản | bắt buộc
        """
    )

    /// The e-form of a demo procedure.
    static func form(forCode code: String) -> EForm? {
        let number = code.split(separator: ".").prefix(2).joined(separator: ".")
        let (title, text) = byProcedure[number] ?? general
        return try? EForm.parse(title: title, text: text)
    }
}
