import Vapor

/// Every route of MotCua, grouped by feature, so the whole URL space reads on one screen.
func routes(_ app: Application) throws {
    let v1 = app.grouped("api", "v1")

    do { // Portal: home, public lookup, the API description.
        let pages = LookupPages()
        app.get(use: pages.home)
        app.get("tra-cuu", use: pages.lookup)
        app.get("tra-cuu", "ket-qua", use: pages.resultFile)
        app.get("chu-ky-so", ":file", use: pages.caFile)
        v1.get("lookup", use: LookupAPI().lookup)
        app.get("openapi.yaml") { req async throws -> Response in
            let path = req.application.directory.workingDirectory + "openapi.yaml"
            let response = try await req.fileio.asyncStreamFile(at: path)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
            return response
        }
    }

    do { // Account: log in and out.
        let pages = AccountPages(), api = AccountAPI()
        app.get("dang-nhap", use: pages.loginForm)
        app.post("dang-nhap", use: pages.login)
        app.post("dang-xuat", use: pages.logout)
        let profile = ProfilePage()
        app.get("tai-khoan", use: profile.show)
        app.post("tai-khoan", "thong-tin", use: profile.updateName)
        app.post("tai-khoan", "mat-khau", use: profile.changePassword)
        app.get("tai-khoan", "anh-dai-dien", use: profile.avatar)
        app.on(.POST, "tai-khoan", "anh-dai-dien", body: .collect(maxSize: "2mb"), use: profile.uploadAvatar)
        app.post("tai-khoan", "anh-dai-dien", "xoa", use: profile.removeAvatar)
        v1.post("login", use: api.login)
        v1.post("logout", use: api.logout)
        v1.get("me", use: api.me)
    }

    do { // Catalogue of procedures.
        v1.get("procedures", use: CatalogueAPI().procedures)
    }

    do { // The home page of a logged-in user.
        app.get("trang-chu", use: HomePage().show)
    }

    do { // Administration: accounts, agencies, the catalogue, the calendar, the audit log.
        let users = UsersPage()
        app.get("quan-tri", "nguoi-dung", use: users.show)
        app.post("quan-tri", "nguoi-dung", use: users.create)
        app.post("quan-tri", "nguoi-dung", ":id", "mat-khau", use: users.resetPassword)
        app.post("quan-tri", "nguoi-dung", ":id", ":action", use: users.setDisabled)
        app.get("quan-tri", "nhat-ky", use: AuditLogPage().show)
        let agencies = AgenciesPage()
        app.get("quan-tri", "co-quan", use: agencies.show)
        app.post("quan-tri", "co-quan", ":id", "doi-ten", use: agencies.rename)
        app.post("quan-tri", "co-quan", ":id", "giai-the", use: agencies.close)
        let lists = CatalogueListsPage()
        app.get("quan-tri", ":list", use: lists.show)   // phong-ban, linh-vuc
        app.post("quan-tri", ":list", use: lists.create)
        app.post("quan-tri", ":list", ":id", use: lists.update)
        let procedures = ProceduresPage()
        app.get("quan-tri", "thu-tuc", use: procedures.list)
        app.get("quan-tri", "thu-tuc", "moi", use: procedures.newForm)
        app.post("quan-tri", "thu-tuc", "moi", use: procedures.create)
        app.get("quan-tri", "thu-tuc", ":id", use: procedures.editForm)
        app.post("quan-tri", "thu-tuc", ":id", use: procedures.update)
        app.on(.POST, "quan-tri", "thu-tuc", ":id", "mau-don", body: .collect(maxSize: ByteCount(value: app.motcua.settings.maxUploadBytes + 1_048_576)), use: procedures.uploadBlankForm)
        app.get("mau-don", ":code", ":position", use: procedures.downloadBlankForm)
        let calendar = CalendarPage()
        app.get("quan-tri", "lich-lam-viec", use: calendar.show)
        app.on(.POST, "quan-tri", "lich-lam-viec", "nhap", body: .collect(maxSize: "1mb"), use: calendar.importFile)
        app.get("quan-tri", "lich-lam-viec", ":year", "xuat", use: calendar.export)
        app.post("quan-tri", "lich-lam-viec", ":year", "them", use: calendar.add)
        app.post("quan-tri", "lich-lam-viec", ":year", "xoa", use: calendar.remove)
        app.post("quan-tri", "lich-lam-viec", ":year", "hoan-doi", use: calendar.swap)
    }

    do { // The reception desk: the counter, the receipt.
        let counter = CounterPage()
        app.get("tiep-nhan", use: counter.show)
        app.post("tiep-nhan", use: counter.receive)
        app.post("ban-giao", use: HandOverPage().handOver)
        app.get("so-theo-doi", use: LogBookPage().show)
    }

    do { // The department head's assignment of officers.
        let page = AssignmentPage()
        app.get("phan-cong", use: page.show)
        app.post("phan-cong", use: page.assign)
    }

    do { // Dossier list and search; intake.
        app.get("ho-so", use: DossierListPage().show)
        v1.get("dossiers", use: DossierListAPI().list)
        v1.post("dossiers", use: IntakeAPI().create)
    }

    do { // Statistics (Thống kê báo cáo).
        let summary = SummaryPage()
        app.get("thong-ke", use: summary.show)
        app.get("thong-ke", "ho-so", use: summary.list)
        let custom = CustomReportPage()
        app.get("thong-ke", "tuy-chon", use: custom.show)
        app.post("thong-ke", "tuy-chon", "luu", use: custom.save)
        app.post("thong-ke", "tuy-chon", ":id", "doi-ten", use: custom.rename)
        app.post("thong-ke", "tuy-chon", ":id", "xoa", use: custom.delete)
        let standard = StandardReportPage()
        app.get("thong-ke", "bao-cao", use: standard.index)
        app.get("thong-ke", "bao-cao", ":report", use: standard.show)
        let scores = EvaluationScoresPage()
        app.get("thong-ke", "danh-gia", "diem", use: scores.show)
        app.post("thong-ke", "danh-gia", "diem", use: scores.save)
        let quality = QualityIndexPage()
        app.get("thong-ke", "chi-so-766", use: quality.show)
        v1.get("reports", "summary", use: ReportsAPI().summary)
        v1.get("reports", "quality-index", use: quality.api)
        v1.get("reports", ":report", use: StandardReportsAPI().show)
    }

    do { // Payments: the payment platform's signed notices.
        v1.on(.POST, "payments", "notify", body: .collect(maxSize: "16kb"), use: PaymentNotices().notify)
    }

    do { // One dossier: detail, actions, files.
        let page = DossierDetailPage(), api = DossierDetailAPI()
        app.get("ho-so", ":code", use: page.show)
        app.post("ho-so", ":code", "thao-tac", ":action", use: page.act)
        app.get("ho-so", ":code", "mau", ":number", use: FormPages().show)
        app.on(.POST, "ho-so", ":code", "tep", body: .stream, use: page.upload)
        v1.get("dossiers", ":code", use: api.get)
        v1.post("dossiers", ":code", "actions", ":action", use: api.perform)
        // Uploads are streamed to a temporary file; the handler enforces the configured maximum.
        v1.on(.POST, "dossiers", ":code", "files", body: .stream, use: api.upload)
        v1.get("dossiers", ":code", "files", ":file", use: api.download)
    }
}
