import MotCuaCore

/// The demo province: the new thành phố Cần Thơ (from 1 July 2025: the former Cần Thơ, Hậu Giang and
/// Sóc Trăng, Nghị quyết 202/2025/QH15) with its two levels of local government (Nghị quyết
/// 1668/NQ-UBTVQH15), and its history: Hậu Giang's departments merged on 1 March 2025, its
/// province, districts and communes closed on 1 July 2025, each linked to its successor (DOMAIN.md
/// sections 0 and 14). Agency codes follow the national pattern and are illustrative, except Sở Tư
/// pháp's, which the city kept; people's names are invented.
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
        /// The day it stopped receiving (yyyy-MM-dd, its first day closed) and its successor.
        var closed: (from: String, successor: String)? = nil
    }

    /// The days the history turned: the provincial departments merged (the 2025 restructuring of the
    /// government's apparatus), then the provinces merged and the districts were abolished.
    static let departmentsMerged = "2025-03-01"
    /// The first day of the demo's dossiers.
    static let firstDay = LocalDate(year: 2024, month: 1, day: 1)!
    static let provincesMerged = "2025-07-01"

    static func commune(_ slug: String, _ name: String, _ number: Int, ward: Bool) -> Agency {
        Agency(
            slug: slug, code: "000.\(pad(number, 2)).31.H14", name: "UBND \(ward ? "phường" : "xã") \(name)",
            kind: .commune, parent: "ubndtinh",
            departments: [
                ("tphh", "Phòng Văn hóa - Xã hội (Tư pháp - Hộ tịch)"),
                ("kt", ward ? "Phòng Kinh tế, Hạ tầng và Đô thị" : "Phòng Kinh tế"),
            ], effectiveFrom: provincesMerged)
    }

    static func formerCommune(_ slug: String, _ code: String, _ name: String, parent: String, successor: String)
        -> Agency
    {
        Agency(
            slug: slug, code: code, name: name, kind: .commune, parent: parent,
            departments: [("tphh", "Bộ phận Tư pháp - Hộ tịch")], closed: (provincesMerged, successor))
    }

    static let agencies: [Agency] =
        [
            Agency(
                slug: "ubndtinh", code: "000.00.00.H14", name: "UBND thành phố Cần Thơ", kind: .province, parent: nil,
                departments: []),
            Agency(
                slug: "ttpvhcc", code: "000.00.31.H14", name: "Trung tâm Phục vụ hành chính công thành phố Cần Thơ",
                kind: .serviceCentre, parent: "ubndtinh", departments: [], effectiveFrom: provincesMerged),
            // The city's departments under their 2025 names. Sở Tư pháp keeps its code.
            Agency(
                slug: "stp", code: "000.00.12.H28", name: "Sở Tư pháp", kind: .provincialDepartment,
                parent: "ubndtinh",
                departments: [("hctp", "Phòng Hành chính tư pháp"), ("bttp", "Phòng Bổ trợ tư pháp")]),
            Agency(
                slug: "stc", code: "000.00.10.H14", name: "Sở Tài chính", kind: .provincialDepartment,
                parent: "ubndtinh", departments: [("dkkd", "Phòng Đăng ký kinh doanh")]),
            Agency(
                slug: "sxd", code: "000.00.15.H14", name: "Sở Xây dựng", kind: .provincialDepartment,
                parent: "ubndtinh",
                departments: [
                    ("qlxd", "Phòng Quản lý xây dựng"), ("qlpt", "Phòng Quản lý phương tiện và người lái"),
                ]),
            Agency(
                slug: "snnmt", code: "000.00.16.H14", name: "Sở Nông nghiệp và Môi trường",
                kind: .provincialDepartment, parent: "ubndtinh",
                departments: [("qldd", "Phòng Quản lý đất đai"), ("tnn", "Phòng Tài nguyên nước")],
                effectiveFrom: departmentsMerged),
            Agency(
                slug: "snv", code: "000.00.07.H14", name: "Sở Nội vụ", kind: .provincialDepartment, parent: "ubndtinh",
                departments: [("vl", "Phòng Việc làm - An toàn lao động")]),
            Agency(
                slug: "skhcn", code: "000.00.09.H14", name: "Sở Khoa học và Công nghệ", kind: .provincialDepartment,
                parent: "ubndtinh", departments: []),
            Agency(
                slug: "syt", code: "000.00.17.H14", name: "Sở Y tế", kind: .provincialDepartment, parent: "ubndtinh",
                departments: []),
            Agency(
                slug: "sgddt", code: "000.00.18.H14", name: "Sở Giáo dục và Đào tạo", kind: .provincialDepartment,
                parent: "ubndtinh", departments: []),
            Agency(
                slug: "sct", code: "000.00.19.H14", name: "Sở Công Thương", kind: .provincialDepartment,
                parent: "ubndtinh", departments: []),
            Agency(
                slug: "svhttdl", code: "000.00.20.H14", name: "Sở Văn hóa, Thể thao và Du lịch",
                kind: .provincialDepartment, parent: "ubndtinh", departments: []),
        ]
        // A sample of the 103 commune-level units, each with its public administration service centre.
        + [
            ("ninhkieu", "Ninh Kiều", true), ("caikhe", "Cái Khế", true), ("tanan", "Tân An", true),
            ("binhthuy", "Bình Thủy", true), ("cairang", "Cái Răng", true), ("omon", "Ô Môn", true),
            ("thotnot", "Thốt Nốt", true), ("vithanh", "Vị Thanh", true), ("vitan", "Vị Tân", true),
            ("ngabay", "Ngã Bảy", true), ("longmy", "Long Mỹ", true), ("soctrang", "Sóc Trăng", true),
            ("myxuyen", "Mỹ Xuyên", true), ("vinhchau", "Vĩnh Châu", true), ("phongdien", "Phong Điền", false),
            ("codo", "Cờ Đỏ", false), ("thoilai", "Thới Lai", false), ("vinhthanh", "Vĩnh Thạnh", false),
            ("hoaluu", "Hỏa Lựu", false), ("vithuy", "Vị Thủy", false), ("chauthanh", "Châu Thành", false),
            ("thanhxuan", "Thạnh Xuân", false), ("phunghiep", "Phụng Hiệp", false), ("kesach", "Kế Sách", false),
        ].enumerated().map { commune($1.0, $1.1, $0 + 1, ward: $1.2) }
        // Hậu Giang before the merger: its province, departments (those merged on 1 March 2025 into
        // departments that were themselves merged into the city's on 1 July), districts and communes.
        + [
            Agency(
                slug: "ubndhg", code: "000.00.00.H28", name: "UBND tỉnh Hậu Giang", kind: .province, parent: nil,
                departments: [], closed: (provincesMerged, "ubndtinh")),
            Agency(
                slug: "skhdt", code: "000.00.10.H28", name: "Sở Kế hoạch và Đầu tư tỉnh Hậu Giang",
                kind: .provincialDepartment, parent: "ubndhg", departments: [("dkkd", "Phòng Đăng ký kinh doanh")],
                closed: (departmentsMerged, "stchg")),
            Agency(
                slug: "stchg", code: "000.00.11.H28", name: "Sở Tài chính tỉnh Hậu Giang", kind: .provincialDepartment,
                parent: "ubndhg", departments: [("dkkd", "Phòng Đăng ký kinh doanh")],
                closed: (provincesMerged, "stc")),
            Agency(
                slug: "sgtvt", code: "000.00.08.H28", name: "Sở Giao thông vận tải tỉnh Hậu Giang",
                kind: .provincialDepartment, parent: "ubndhg",
                departments: [("qlpt", "Phòng Quản lý phương tiện và người lái")],
                closed: (departmentsMerged, "sxdhg")),
            Agency(
                slug: "sxdhg", code: "000.00.15.H28", name: "Sở Xây dựng tỉnh Hậu Giang", kind: .provincialDepartment,
                parent: "ubndhg",
                departments: [
                    ("qlxd", "Phòng Quản lý xây dựng"), ("qlpt", "Phòng Quản lý phương tiện và người lái"),
                ], closed: (provincesMerged, "sxd")),
            Agency(
                slug: "stnmt", code: "000.00.16.H28", name: "Sở Tài nguyên và Môi trường tỉnh Hậu Giang",
                kind: .provincialDepartment, parent: "ubndhg",
                departments: [("qldd", "Phòng Quản lý đất đai"), ("tnn", "Phòng Tài nguyên nước")],
                closed: (departmentsMerged, "snnmthg")),
            Agency(
                slug: "snnmthg", code: "000.00.17.H28", name: "Sở Nông nghiệp và Môi trường tỉnh Hậu Giang",
                kind: .provincialDepartment, parent: "ubndhg",
                departments: [("qldd", "Phòng Quản lý đất đai"), ("tnn", "Phòng Tài nguyên nước")],
                effectiveFrom: departmentsMerged, closed: (provincesMerged, "snnmt")),
            Agency(
                slug: "sldtbxh", code: "000.00.07.H28", name: "Sở Lao động - Thương binh và Xã hội tỉnh Hậu Giang",
                kind: .provincialDepartment, parent: "ubndhg",
                departments: [("vl", "Phòng Việc làm - An toàn lao động")], closed: (departmentsMerged, "snvhg")),
            Agency(
                slug: "snvhg", code: "000.00.05.H28", name: "Sở Nội vụ tỉnh Hậu Giang", kind: .provincialDepartment,
                parent: "ubndhg", departments: [("vl", "Phòng Việc làm - An toàn lao động")],
                closed: (provincesMerged, "snv")),
            Agency(
                slug: "stttt", code: "000.00.09.H28", name: "Sở Thông tin và Truyền thông tỉnh Hậu Giang",
                kind: .provincialDepartment, parent: "ubndhg", departments: [], closed: (departmentsMerged, "skhcn")),
            Agency(
                slug: "tpvithanh", code: "000.00.20.H28", name: "UBND thành phố Vị Thanh", kind: .district,
                parent: "ubndhg",
                departments: [
                    ("tckh", "Phòng Tài chính - Kế hoạch"), ("qldt", "Phòng Quản lý đô thị"), ("tp", "Phòng Tư pháp"),
                    ("tnmt", "Phòng Tài nguyên và Môi trường"),
                ], closed: (provincesMerged, "vithanh")),
            Agency(
                slug: "tpngabay", code: "000.00.21.H28", name: "UBND thành phố Ngã Bảy", kind: .district,
                parent: "ubndhg",
                departments: [("tckh", "Phòng Tài chính - Kế hoạch"), ("qldt", "Phòng Quản lý đô thị")],
                closed: (provincesMerged, "ngabay")),
            Agency(
                slug: "txlongmy", code: "000.00.22.H28", name: "UBND thị xã Long Mỹ", kind: .district, parent: "ubndhg",
                departments: [("tckh", "Phòng Tài chính - Kế hoạch")], closed: (provincesMerged, "longmy")),
            Agency(
                slug: "hchauthanh", code: "000.00.23.H28", name: "UBND huyện Châu Thành", kind: .district,
                parent: "ubndhg", departments: [("tckh", "Phòng Tài chính - Kế hoạch")],
                closed: (provincesMerged, "chauthanh")),
            Agency(
                slug: "hchauthanha", code: "000.00.24.H28", name: "UBND huyện Châu Thành A", kind: .district,
                parent: "ubndhg", departments: [("tckh", "Phòng Tài chính - Kế hoạch")],
                closed: (provincesMerged, "thanhxuan")),
            Agency(
                slug: "hphunghiep", code: "000.00.25.H28", name: "UBND huyện Phụng Hiệp", kind: .district,
                parent: "ubndhg", departments: [], closed: (provincesMerged, "phunghiep")),
            Agency(
                slug: "hvithuy", code: "000.00.26.H28", name: "UBND huyện Vị Thủy", kind: .district, parent: "ubndhg",
                departments: [], closed: (provincesMerged, "vithuy")),
            formerCommune(
                "phuong1", "000.01.20.H28", "UBND phường I, thành phố Vị Thanh", parent: "tpvithanh",
                successor: "vithanh"),
            formerCommune(
                "hoaluucu", "000.21.20.H28", "UBND xã Hỏa Lựu, thành phố Vị Thanh", parent: "tpvithanh",
                successor: "hoaluu"),
            formerCommune(
                "laihieu", "000.05.21.H28", "UBND phường Lái Hiếu, thành phố Ngã Bảy", parent: "tpngabay",
                successor: "ngabay"),
            // Sóc Trăng and the former Cần Thơ: a few of their agencies, closed when the provinces merged.
            Agency(
                slug: "ubndst", code: "000.00.00.H52", name: "UBND tỉnh Sóc Trăng", kind: .province, parent: nil,
                departments: [], closed: (provincesMerged, "ubndtinh")),
            Agency(
                slug: "stcst", code: "000.00.11.H52", name: "Sở Tài chính tỉnh Sóc Trăng", kind: .provincialDepartment,
                parent: "ubndst", departments: [], closed: (provincesMerged, "stc")),
            Agency(
                slug: "tpsoctrang", code: "000.00.20.H52", name: "UBND thành phố Sóc Trăng", kind: .district,
                parent: "ubndst", departments: [], closed: (provincesMerged, "soctrang")),
            Agency(
                slug: "sgtvtct", code: "000.00.08.H14", name: "Sở Giao thông vận tải thành phố Cần Thơ",
                kind: .provincialDepartment, parent: "ubndtinh", departments: [], closed: (departmentsMerged, "sxd")),
            Agency(
                slug: "qninhkieu", code: "000.00.40.H14", name: "UBND quận Ninh Kiều", kind: .district,
                parent: "ubndtinh", departments: [], closed: (provincesMerged, "ninhkieu")),
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
        /// The agencies (and their departments) that handled it before, oldest first, each until its
        /// closing day: a dossier keeps the agency that received it.
        var before: [(agency: String, department: String)] = []
    }

    static func c(
        _ name: String, _ form: ComponentRequirement.Form = .copy, _ count: Int = 1, mandatory: Bool = true,
        blank: String? = nil
    ) -> ComponentRequirement {
        ComponentRequirement(name: name, form: form, count: count, mandatory: mandatory, blankForm: blank)
    }

    static let identity = c("Bản chụp Căn cước công dân / Căn cước của người yêu cầu")

    /// Đăng ký thành lập hộ kinh doanh: a district's until 30/06/2025, the commune's from 01/07/2025.
    static func householdBusiness(_ code: String, commune: String, district: String) -> Procedure {
        Procedure(
            code: code, name: "Đăng ký thành lập hộ kinh doanh", field: "DKKD", agency: commune, department: "kt",
            amount: 3, unit: .workingDays, fee: 100_000, online: .full,
            components: [c("Giấy đề nghị đăng ký hộ kinh doanh", .original), identity],
            result: "Giấy chứng nhận đăng ký hộ kinh doanh", before: [(district, "tckh")])
    }

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
            field: "DKKD", agency: "stc", department: "dkkd", amount: 3, unit: .workingDays, fee: 50_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký doanh nghiệp", .original), identity],
            result: "Giấy chứng nhận đăng ký doanh nghiệp", before: [("skhdt", "dkkd"), ("stchg", "dkkd")]),
        Procedure(
            code: "2.001199.000.00.00.H28", name: "Đăng ký thành lập công ty TNHH một thành viên",
            field: "DKKD", agency: "stc", department: "dkkd", amount: 3, unit: .workingDays, fee: 50_000,
            online: .full,
            components: [c("Giấy đề nghị đăng ký doanh nghiệp", .original), c("Điều lệ công ty", .original), identity],
            result: "Giấy chứng nhận đăng ký doanh nghiệp", before: [("skhdt", "dkkd"), ("stchg", "dkkd")]),
        Procedure(
            code: "2.002010.000.00.00.H28", name: "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
            field: "DKKD", agency: "stc", department: "dkkd", amount: 3, unit: .workingDays, fee: 50_000,
            online: .full,
            components: [
                c("Thông báo thay đổi nội dung đăng ký doanh nghiệp", .original),
                c("Nghị quyết, quyết định về việc thay đổi"),
            ],
            result: "Giấy chứng nhận đăng ký doanh nghiệp", before: [("skhdt", "dkkd"), ("stchg", "dkkd")]),
        Procedure(
            code: "1.002804.000.00.00.H28", name: "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
            field: "DB", agency: "sxd", department: "qlpt", amount: 5, unit: .workingDays, fee: 135_000,
            online: .full,
            components: [
                c("Đơn đề nghị đổi, cấp lại giấy phép lái xe", .original),
                c("Giấy khám sức khỏe của người lái xe", .original), identity,
            ],
            result: "Giấy phép lái xe", before: [("sgtvt", "qlpt"), ("sxdhg", "qlpt")]),
        Procedure(
            code: "1.002809.000.00.00.H28", name: "Cấp lại giấy phép lái xe",
            field: "DB", agency: "sxd", department: "qlpt", amount: 10, unit: .workingDays, fee: 135_000,
            online: .partial,
            components: [
                c("Đơn đề nghị đổi, cấp lại giấy phép lái xe", .original),
                c("Giấy khám sức khỏe của người lái xe", .original),
            ],
            result: "Giấy phép lái xe", before: [("sgtvt", "qlpt"), ("sxdhg", "qlpt")]),
        Procedure(
            code: "1.009972.000.00.00.H28", name: "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
            field: "XD", agency: "sxd", department: "qlxd", amount: 20, unit: .workingDays, fee: 300_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp chứng chỉ hành nghề", .original), c("Văn bằng đào tạo chuyên môn"),
                c("Ảnh màu 4x6 cm", .original, 2),
            ],
            result: "Chứng chỉ hành nghề hoạt động xây dựng", before: [("sxdhg", "qlxd")]),
        Procedure(
            code: "1.009975.000.00.00.H28",
            name: "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
            field: "XD", agency: "sxd", department: "qlxd", amount: 20, unit: .workingDays, fee: 150_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp giấy phép xây dựng", .original), c("Giấy tờ hợp pháp về đất đai"),
                c("Bản vẽ thiết kế xây dựng", .original, 2),
            ],
            result: "Giấy phép xây dựng", before: [("sxdhg", "qlxd")]),
        Procedure(
            code: "1.004227.000.00.00.H28",
            name: "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            field: "DD", agency: "snnmt", department: "qldd", amount: 10, unit: .workingDays, fee: 50_000,
            online: .partial,
            components: [
                c("Đơn đăng ký biến động đất đai (Mẫu 09/ĐK)", .original),
                c("Bản gốc Giấy chứng nhận đã cấp", .original),
            ],
            result: "Giấy chứng nhận quyền sử dụng đất", before: [("stnmt", "qldd"), ("snnmthg", "qldd")]),
        Procedure(
            code: "1.004228.000.00.00.H28", name: "Cấp giấy phép khai thác, sử dụng nước dưới đất",
            field: "TNN", agency: "snnmt", department: "tnn", amount: 30, unit: .workingDays, fee: 600_000,
            online: .partial,
            components: [c("Đơn đề nghị cấp giấy phép", .original), c("Báo cáo kết quả thăm dò", .original)],
            result: "Giấy phép khai thác nước dưới đất", before: [("stnmt", "tnn"), ("snnmthg", "tnn")]),
        Procedure(
            code: "1.000105.000.00.00.H28",
            name: "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            field: "VL", agency: "snv", department: "vl", amount: 5, unit: .workingDays, fee: 600_000,
            online: .full,
            components: [
                c("Văn bản đề nghị cấp giấy phép lao động", .original), c("Giấy chứng nhận sức khỏe", .original),
                c("Hộ chiếu"),
            ],
            result: "Giấy phép lao động", before: [("sldtbxh", "vl"), ("snvhg", "vl")]),
        Procedure(
            code: "1.000362.000.00.00.H28", name: "Giải quyết hưởng trợ cấp thất nghiệp",
            field: "VL", agency: "snv", department: "vl", amount: 20, unit: .calendarDays, fee: 0, online: .full,
            components: [c("Đề nghị hưởng trợ cấp thất nghiệp", .original), c("Quyết định thôi việc")],
            result: "Quyết định hưởng trợ cấp thất nghiệp", before: [("sldtbxh", "vl"), ("snvhg", "vl")]),
        householdBusiness("2.000575.VT.H28", commune: "vithanh", district: "tpvithanh"),
        householdBusiness("2.000575.NB.H28", commune: "ngabay", district: "tpngabay"),
        householdBusiness("2.000575.LM.H28", commune: "longmy", district: "txlongmy"),
        householdBusiness("2.000575.CT.H28", commune: "chauthanh", district: "hchauthanh"),
        householdBusiness("2.000575.CTA.H28", commune: "thanhxuan", district: "hchauthanha"),
        Procedure(
            code: "1.001193.NK.H14", name: "Đăng ký khai sinh",
            field: "HT", agency: "ninhkieu", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai sinh", .original), c("Giấy chứng sinh", .original)],
            result: "Giấy khai sinh"),
        Procedure(
            code: "1.009994.VT.H28", name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            field: "XD", agency: "vithanh", department: "kt", amount: 15, unit: .calendarDays, fee: 75_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", .original), c("Giấy tờ hợp pháp về đất đai"),
                c("Bản vẽ thiết kế", .original, 2),
            ],
            result: "Giấy phép xây dựng", before: [("tpvithanh", "qldt")]),
        Procedure(
            code: "1.009994.NB.H28", name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            field: "XD", agency: "ngabay", department: "kt", amount: 15, unit: .calendarDays, fee: 75_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", .original), c("Giấy tờ hợp pháp về đất đai"),
            ], result: "Giấy phép xây dựng", before: [("tpngabay", "qldt")]),
        Procedure(
            code: "2.000815.VT.H28",
            name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
            field: "CT", agency: "vithanh", department: "tphh", amount: 4, unit: .workingHours, fee: 2_000,
            online: .none,
            components: [c("Bản chính giấy tờ cần chứng thực", .original), c("Bản sao cần chứng thực")],
            result: "Bản sao được chứng thực", before: [("tpvithanh", "tp")]),
        Procedure(
            code: "1.004203.VT.H28", name: "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
            field: "DD", agency: "vithanh", department: "kt", amount: 7, unit: .workingDays, fee: 50_000,
            online: .partial,
            components: [
                c("Đơn đề nghị cấp đổi Giấy chứng nhận (Mẫu 10/ĐK)", .original),
                c("Bản gốc Giấy chứng nhận đã cấp", .original),
            ],
            result: "Giấy chứng nhận quyền sử dụng đất", before: [("tpvithanh", "tnmt")]),
        Procedure(
            code: "1.001193.P1.H28", name: "Đăng ký khai sinh",
            field: "HT", agency: "vithanh", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai sinh", .original), c("Giấy chứng sinh", .original)],
            result: "Giấy khai sinh", before: [("phuong1", "tphh")]),
        Procedure(
            code: "1.000894.P1.H28", name: "Đăng ký kết hôn",
            field: "HT", agency: "vithanh", department: "tphh", amount: 4, unit: .workingHours, fee: 0,
            online: .partial,
            components: [c("Tờ khai đăng ký kết hôn", .original), identity], result: "Giấy chứng nhận kết hôn",
            before: [("phuong1", "tphh")]),
        Procedure(
            code: "1.001193.HL.H28", name: "Đăng ký khai sinh",
            field: "HT", agency: "hoaluu", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai sinh", .original), c("Giấy chứng sinh", .original)],
            result: "Giấy khai sinh", before: [("hoaluucu", "tphh")]),
        Procedure(
            code: "2.000815.HL.H28", name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            field: "CT", agency: "hoaluu", department: "tphh", amount: 4, unit: .workingHours, fee: 2_000,
            online: .none,
            components: [c("Bản chính giấy tờ cần chứng thực", .original)], result: "Bản sao được chứng thực",
            before: [("hoaluucu", "tphh")]),
        Procedure(
            code: "1.000656.LH.H28", name: "Đăng ký khai tử",
            field: "HT", agency: "ngabay", department: "tphh", amount: 4, unit: .workingHours, fee: 0, online: .full,
            components: [c("Tờ khai đăng ký khai tử", .original), c("Giấy báo tử", .original)],
            result: "Trích lục khai tử", before: [("laihieu", "tphh")]),
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
        "phường Ninh Kiều, thành phố Cần Thơ", "phường Cái Khế, thành phố Cần Thơ",
        "phường Vị Thanh, thành phố Cần Thơ",
        "phường Vị Tân, thành phố Cần Thơ", "phường Ngã Bảy, thành phố Cần Thơ", "xã Hỏa Lựu, thành phố Cần Thơ",
        "xã Châu Thành, thành phố Cần Thơ", "xã Vị Thủy, thành phố Cần Thơ", "phường Long Mỹ, thành phố Cần Thơ",
        "xã Phụng Hiệp, thành phố Cần Thơ", "phường Sóc Trăng, thành phố Cần Thơ",
    ]
}
