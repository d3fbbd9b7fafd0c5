import MotCuaCore

/// The demo province: Hậu Giang as it was before the 2025 merger (DOMAIN.md section 14).
/// Agency codes follow the national pattern; people's names are invented.
enum DemoCatalogue {
    struct Agency {
        let slug: String
        let code: String
        let name: String
        let kind: AgencyKind
        let parent: String?
        let departments: [(slug: String, name: String)]
        /// From when it exists (yyyy-MM-dd).
        var effectiveFrom = "2000-01-01"
    }

    static let agencies: [Agency] = [
        Agency(
            slug: "ubndtinh", code: "000.00.00.H28", name: "UBND tỉnh Hậu Giang", kind: .province, parent: nil,
            departments: []),
        Agency(
            slug: "stp", code: "000.00.12.H28", name: "Sở Tư pháp", kind: .provincialDepartment, parent: "ubndtinh",
            departments: [("hctp", "Phòng Hành chính tư pháp"), ("bttp", "Phòng Bổ trợ tư pháp")]),
        Agency(
            slug: "skhdt", code: "000.00.10.H28", name: "Sở Kế hoạch và Đầu tư", kind: .provincialDepartment,
            parent: "ubndtinh",
            departments: [("dkkd", "Phòng Đăng ký kinh doanh")]),
        Agency(
            slug: "sgtvt", code: "000.00.08.H28", name: "Sở Giao thông vận tải", kind: .provincialDepartment,
            parent: "ubndtinh",
            departments: [("qlpt", "Phòng Quản lý phương tiện và người lái")]),
        Agency(
            slug: "sxd", code: "000.00.15.H28", name: "Sở Xây dựng", kind: .provincialDepartment, parent: "ubndtinh",
            departments: [("qlxd", "Phòng Quản lý xây dựng")]),
        Agency(
            slug: "stnmt", code: "000.00.16.H28", name: "Sở Tài nguyên và Môi trường", kind: .provincialDepartment,
            parent: "ubndtinh",
            departments: [("qldd", "Phòng Quản lý đất đai"), ("tnn", "Phòng Tài nguyên nước")]),
        Agency(
            slug: "sldtbxh", code: "000.00.07.H28", name: "Sở Lao động - Thương binh và Xã hội",
            kind: .provincialDepartment, parent: "ubndtinh",
            departments: [("vl", "Phòng Việc làm - An toàn lao động")]),
        Agency(
            slug: "vithanh", code: "000.00.20.H28", name: "UBND thành phố Vị Thanh", kind: .district,
            parent: "ubndtinh",
            departments: [
                ("tckh", "Phòng Tài chính - Kế hoạch"), ("qldt", "Phòng Quản lý đô thị"), ("tp", "Phòng Tư pháp"),
                ("tnmt", "Phòng Tài nguyên và Môi trường"),
            ]),
        Agency(
            slug: "ngabay", code: "000.00.21.H28", name: "UBND thành phố Ngã Bảy", kind: .district, parent: "ubndtinh",
            departments: [("tckh", "Phòng Tài chính - Kế hoạch"), ("qldt", "Phòng Quản lý đô thị")]),
        Agency(
            slug: "longmytx", code: "000.00.22.H28", name: "UBND thị xã Long Mỹ", kind: .district, parent: "ubndtinh",
            departments: [("tckh", "Phòng Tài chính - Kế hoạch")]),
        Agency(
            slug: "chauthanh", code: "000.00.23.H28", name: "UBND huyện Châu Thành", kind: .district,
            parent: "ubndtinh",
            departments: [("tckh", "Phòng Tài chính - Kế hoạch")]),
        Agency(
            slug: "chauthanha", code: "000.00.24.H28", name: "UBND huyện Châu Thành A", kind: .district,
            parent: "ubndtinh", departments: []),
        Agency(
            slug: "phunghiep", code: "000.00.25.H28", name: "UBND huyện Phụng Hiệp", kind: .district,
            parent: "ubndtinh", departments: []),
        Agency(
            slug: "vithuy", code: "000.00.26.H28", name: "UBND huyện Vị Thủy", kind: .district, parent: "ubndtinh",
            departments: []),
        Agency(
            slug: "longmyh", code: "000.00.27.H28", name: "UBND huyện Long Mỹ", kind: .district, parent: "ubndtinh",
            departments: []),
        Agency(
            slug: "phuong1", code: "000.01.20.H28", name: "UBND phường I, thành phố Vị Thanh", kind: .commune,
            parent: "vithanh",
            departments: [("tphh", "Bộ phận Tư pháp - Hộ tịch")]),
        Agency(
            slug: "hoaluu", code: "000.21.20.H28", name: "UBND xã Hỏa Lựu", kind: .commune, parent: "vithanh",
            departments: [("tphh", "Bộ phận Tư pháp - Hộ tịch")]),
        Agency(
            slug: "laihieu", code: "000.05.21.H28", name: "UBND phường Lái Hiếu, thành phố Ngã Bảy", kind: .commune,
            parent: "ngabay",
            departments: [("tphh", "Bộ phận Tư pháp - Hộ tịch")]),
        // A ward of the two-level government (from 1 July 2025): its centre receives any agency's
        // procedure and forwards it (Nghị định 118/2025).
        Agency(
            slug: "pvithanh", code: "000.30.20.H28", name: "UBND phường Vị Thanh", kind: .commune, parent: "ubndtinh",
            departments: [("tphh", "Bộ phận Tư pháp - Hộ tịch")], effectiveFrom: "2025-07-01"),
    ]

    static let fields: [(code: String, name: String)] = [
        ("LLTP", "Lý lịch tư pháp"), ("HT", "Hộ tịch"), ("CT", "Chứng thực"), ("CC", "Công chứng"),
        ("DKKD", "Đăng ký kinh doanh"), ("DB", "Đường bộ"), ("XD", "Xây dựng"), ("DD", "Đất đai"),
        ("TNN", "Tài nguyên nước"), ("VL", "Việc làm"),
    ]

    struct Procedure {
        let code: String
        let name: String
        let field: String
        let agency: String
        let department: String
        let amount: Double
        let unit: TimeUnit
        let fee: Int
        let online: OnlineLevel
        let components: [ComponentRequirement]
        let result: String
    }

    static func c(
        _ name: String, _ form: ComponentRequirement.Form = .copy, _ count: Int = 1, mandatory: Bool = true,
        blank: String? = nil
    ) -> ComponentRequirement {
        ComponentRequirement(name: name, form: form, count: count, mandatory: mandatory, blankForm: blank)
    }

    static let identity = c("Bản chụp Căn cước công dân / Căn cước của người yêu cầu")

    static let procedures: [Procedure] = [
        Procedure(
            code: "1.001978.000.00.00.H28",
            name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
            field: "LLTP", agency: "stp", department: "hctp", amount: 10, unit: .workingDays, fee: 200_000,
            online: .full,
            components: [
                c(
                    "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)", .original,
                    blank: "to-khai-lltp.docx"), identity,
                c("Bản chụp sổ hộ khẩu hoặc giấy tờ chứng minh nơi cư trú", mandatory: false),
            ],
            result: "Phiếu lý lịch tư pháp"),
        Procedure(
            code: "2.000488.000.00.00.H28", name: "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
            field: "LLTP", agency: "stp", department: "hctp", amount: 10, unit: .workingDays, fee: 0, online: .partial,
            components: [c("Văn bản yêu cầu của cơ quan tiến hành tố tụng", .original)], result: "Phiếu lý lịch tư pháp"
        ),
        Procedure(
            code: "1.001071.000.00.00.H28", name: "Đăng ký hành nghề và cấp Thẻ công chứng viên",
            field: "CC", agency: "stp", department: "bttp", amount: 10, unit: .workingDays, fee: 0, online: .partial,
            components: [
                c("Đơn đề nghị đăng ký hành nghề (Mẫu TP-CC-07)", .original), c("Quyết định bổ nhiệm công chứng viên"),
                c("Giấy tờ chứng minh là thành viên hợp danh hoặc hợp đồng lao động"),
            ],
            result: "Thẻ công chứng viên"),
        Procedure(
            code: "2.001610.000.00.00.H28", name: "Đăng ký thành lập doanh nghiệp tư nhân",
            field: "DKKD", agency: "skhdt", department: "dkkd", amount: 3, unit: .workingDays, fee: 50_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký doanh nghiệp", .original), identity],
            result: "Giấy chứng nhận đăng ký doanh nghiệp"),
        Procedure(
            code: "2.001199.000.00.00.H28", name: "Đăng ký thành lập công ty TNHH một thành viên",
            field: "DKKD", agency: "skhdt", department: "dkkd", amount: 3, unit: .workingDays, fee: 50_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký doanh nghiệp", .original), c("Điều lệ công ty", .original), identity],
            result: "Giấy chứng nhận đăng ký doanh nghiệp"),
        Procedure(
            code: "2.002010.000.00.00.H28", name: "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
            field: "DKKD", agency: "skhdt", department: "dkkd", amount: 3, unit: .workingDays, fee: 50_000,
            online: .full,
            components: [
                c("Thông báo thay đổi nội dung đăng ký doanh nghiệp", .original),
                c("Nghị quyết, quyết định về việc thay đổi"),
            ],
            result: "Giấy chứng nhận đăng ký doanh nghiệp"),
        Procedure(
            code: "1.002804.000.00.00.H28", name: "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
            field: "DB", agency: "sgtvt", department: "qlpt", amount: 5, unit: .workingDays, fee: 135_000,
            online: .full,
            components: [
                c("Đơn đề nghị đổi, cấp lại giấy phép lái xe", .original),
                c("Giấy khám sức khỏe của người lái xe", .original), identity,
            ],
            result: "Giấy phép lái xe"),
        Procedure(
            code: "1.002809.000.00.00.H28", name: "Cấp lại giấy phép lái xe",
            field: "DB", agency: "sgtvt", department: "qlpt", amount: 10, unit: .workingDays, fee: 135_000,
            online: .partial,
            components: [
                c("Đơn đề nghị đổi, cấp lại giấy phép lái xe", .original),
                c("Giấy khám sức khỏe của người lái xe", .original),
            ],
            result: "Giấy phép lái xe"),
        Procedure(
            code: "1.009972.000.00.00.H28", name: "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
            field: "XD", agency: "sxd", department: "qlxd", amount: 20, unit: .workingDays, fee: 300_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp chứng chỉ hành nghề", .original), c("Văn bằng đào tạo chuyên môn"),
                c("Ảnh màu 4x6 cm", .original, 2),
            ],
            result: "Chứng chỉ hành nghề hoạt động xây dựng"),
        Procedure(
            code: "1.009975.000.00.00.H28",
            name: "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
            field: "XD", agency: "sxd", department: "qlxd", amount: 20, unit: .workingDays, fee: 150_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp giấy phép xây dựng", .original), c("Giấy tờ hợp pháp về đất đai"),
                c("Bản vẽ thiết kế xây dựng", .original, 2),
            ],
            result: "Giấy phép xây dựng"),
        Procedure(
            code: "1.004227.000.00.00.H28",
            name: "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            field: "DD", agency: "stnmt", department: "qldd", amount: 10, unit: .workingDays, fee: 50_000,
            online: .partial,
            components: [
                c("Đơn đăng ký biến động đất đai (Mẫu 09/ĐK)", .original),
                c("Bản gốc Giấy chứng nhận đã cấp", .original),
            ],
            result: "Giấy chứng nhận quyền sử dụng đất"),
        Procedure(
            code: "1.004228.000.00.00.H28", name: "Cấp giấy phép khai thác, sử dụng nước dưới đất",
            field: "TNN", agency: "stnmt", department: "tnn", amount: 30, unit: .workingDays, fee: 600_000,
            online: .partial,
            components: [c("Đơn đề nghị cấp giấy phép", .original), c("Báo cáo kết quả thăm dò", .original)],
            result: "Giấy phép khai thác nước dưới đất"),
        Procedure(
            code: "1.000105.000.00.00.H28",
            name: "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            field: "VL", agency: "sldtbxh", department: "vl", amount: 5, unit: .workingDays, fee: 600_000,
            online: .full,
            components: [
                c("Văn bản đề nghị cấp giấy phép lao động", .original), c("Giấy chứng nhận sức khỏe", .original),
                c("Hộ chiếu"),
            ],
            result: "Giấy phép lao động"),
        Procedure(
            code: "1.000362.000.00.00.H28", name: "Giải quyết hưởng trợ cấp thất nghiệp",
            field: "VL", agency: "sldtbxh", department: "vl", amount: 20, unit: .calendarDays, fee: 0, online: .full,
            components: [c("Đề nghị hưởng trợ cấp thất nghiệp", .original), c("Quyết định thôi việc")],
            result: "Quyết định hưởng trợ cấp thất nghiệp"),
        Procedure(
            code: "2.000575.VT.H28", name: "Đăng ký thành lập hộ kinh doanh",
            field: "DKKD", agency: "vithanh", department: "tckh", amount: 3, unit: .workingDays, fee: 100_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký hộ kinh doanh", .original), identity],
            result: "Giấy chứng nhận đăng ký hộ kinh doanh"),
        Procedure(
            code: "2.000575.NB.H28", name: "Đăng ký thành lập hộ kinh doanh",
            field: "DKKD", agency: "ngabay", department: "tckh", amount: 3, unit: .workingDays, fee: 100_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký hộ kinh doanh", .original), identity],
            result: "Giấy chứng nhận đăng ký hộ kinh doanh"),
        Procedure(
            code: "2.000575.LM.H28", name: "Đăng ký thành lập hộ kinh doanh",
            field: "DKKD", agency: "longmytx", department: "tckh", amount: 3, unit: .workingDays, fee: 100_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký hộ kinh doanh", .original), identity],
            result: "Giấy chứng nhận đăng ký hộ kinh doanh"),
        Procedure(
            code: "2.000575.CT.H28", name: "Đăng ký thành lập hộ kinh doanh",
            field: "DKKD", agency: "chauthanh", department: "tckh", amount: 3, unit: .workingDays, fee: 100_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký hộ kinh doanh", .original), identity],
            result: "Giấy chứng nhận đăng ký hộ kinh doanh"),
        Procedure(
            code: "1.009994.VT.H28", name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            field: "XD", agency: "vithanh", department: "qldt", amount: 15, unit: .calendarDays, fee: 75_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", .original), c("Giấy tờ hợp pháp về đất đai"),
                c("Bản vẽ thiết kế", .original, 2),
            ],
            result: "Giấy phép xây dựng"),
        Procedure(
            code: "1.009994.NB.H28", name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            field: "XD", agency: "ngabay", department: "qldt", amount: 15, unit: .calendarDays, fee: 75_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", .original), c("Giấy tờ hợp pháp về đất đai"),
            ], result: "Giấy phép xây dựng"),
        Procedure(
            code: "2.000815.VT.H28",
            name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
            field: "CT", agency: "vithanh", department: "tp", amount: 4, unit: .workingHours, fee: 2_000, online: .none,
            components: [c("Bản chính giấy tờ cần chứng thực", .original), c("Bản sao cần chứng thực")],
            result: "Bản sao được chứng thực"),
        Procedure(
            code: "1.004203.VT.H28", name: "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
            field: "DD", agency: "vithanh", department: "tnmt", amount: 7, unit: .workingDays, fee: 50_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp đổi Giấy chứng nhận (Mẫu 10/ĐK)", .original),
                c("Bản gốc Giấy chứng nhận đã cấp", .original),
            ],
            result: "Giấy chứng nhận quyền sử dụng đất"),
        Procedure(
            code: "1.001193.P1.H28", name: "Đăng ký khai sinh",
            field: "HT", agency: "phuong1", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai sinh", .original), c("Giấy chứng sinh", .original)],
            result: "Giấy khai sinh"),
        Procedure(
            code: "1.000894.P1.H28", name: "Đăng ký kết hôn",
            field: "HT", agency: "phuong1", department: "tphh", amount: 4, unit: .workingHours, fee: 0,
            online: .partial,
            components: [c("Tờ khai đăng ký kết hôn", .original), identity], result: "Giấy chứng nhận kết hôn"),
        Procedure(
            code: "1.001193.HL.H28", name: "Đăng ký khai sinh",
            field: "HT", agency: "hoaluu", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai sinh", .original), c("Giấy chứng sinh", .original)],
            result: "Giấy khai sinh"),
        Procedure(
            code: "2.000815.HL.H28", name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            field: "CT", agency: "hoaluu", department: "tphh", amount: 4, unit: .workingHours, fee: 2_000,
            online: .none,
            components: [c("Bản chính giấy tờ cần chứng thực", .original)], result: "Bản sao được chứng thực"),
        Procedure(
            code: "1.000656.LH.H28", name: "Đăng ký khai tử",
            field: "HT", agency: "laihieu", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai tử", .original), c("Giấy báo tử", .original)],
            result: "Trích lục khai tử"),
    ]

    static let familyNames = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Dương",
        "Lý",
    ]
    static let middleNames = [
        "Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thị Kim", "Hữu", "Đức", "Phương", "Bảo",
    ]
    static let givenNames = [
        "An", "Bình", "Châu", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Khánh", "Lan",
        "Linh",
        "Long", "Mai", "Nam", "Nga", "Nhân", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trí", "Tuấn",
        "Vy", "Yến", "Ánh",
    ]
    static let streets = [
        "đường Trần Hưng Đạo", "đường 3 Tháng 2", "đường Nguyễn Công Trứ", "đường Hùng Vương", "đường Lê Lợi",
        "đường 30 Tháng 4",
        "đường Võ Văn Kiệt", "ấp Thạnh Lợi", "ấp Mỹ Hiệp", "khu vực 4",
    ]
    static let places = [
        "phường I, thành phố Vị Thanh", "phường III, thành phố Vị Thanh", "xã Hỏa Lựu, thành phố Vị Thanh",
        "phường Lái Hiếu, thành phố Ngã Bảy", "thị trấn Ngã Sáu, huyện Châu Thành", "xã Vị Thủy, huyện Vị Thủy",
        "phường Thuận An, thị xã Long Mỹ", "thị trấn Cây Dương, huyện Phụng Hiệp",
    ]
}
