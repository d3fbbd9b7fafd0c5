import MotCuaCore
import Vapor

/// Every route of MotCua, grouped by feature, so the whole URL space reads on one screen. Each group
/// is registered under its feature of the access table (MotCuaCore `Access`), whose guard opens it
/// to the roles the table names; a route outside a feature is refused by `AccessMatrixTests`.
func routes(_ app: Application) throws {
    func api(_ r: any RoutesBuilder) -> any RoutesBuilder { r.grouped("api", "v1") }

    app.feature(.portal) { r in  // The portal's home and the API description.
        r.get(use: LookupPages().home)
        r.get("openapi.yaml") { req async throws -> Response in
            let path = req.application.directory.workingDirectory + "openapi.yaml"
            let response = try await req.fileio.asyncStreamFile(at: path)
            response.headers.contentType = HTTPMediaType(
                type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
            return response
        }
    }
    app.feature(.lookup) { r in  // The public lookup by code and secret, and the result's copy.
        let pages = LookupPages()
        r.get("tra-cuu", use: pages.lookup)
        r.get("tra-cuu", "ket-qua", use: pages.resultFile)
        api(r).get("lookup", use: LookupAPI().lookup)
        let vnpay = VNPayPages()  // Paying the fee through VNPay, with the code and secret.
        r.post("thanh-toan", "vnpay", use: vnpay.start)
        r.get("thanh-toan", "vnpay", "ket-qua", use: vnpay.returned)
        let rating = RatingPages()  // Đánh giá mức độ hài lòng, with the code and secret.
        r.get("danh-gia", use: rating.show)
        r.post("danh-gia", use: rating.submit)
    }
    app.feature(.publicFiles) { r in r.get("chu-ky-so", ":file", use: LookupPages().caFile) }
    app.feature(.catalogue) { r in  // The catalogue of procedures, and each procedure's page.
        let pages = CataloguePages()
        r.get("thu-tuc", use: pages.list)
        r.get("thu-tuc", ":code", use: pages.show)
        api(r).get("procedures", use: CatalogueAPI().procedures)
    }
    app.feature(.blankForms) { r in r.get("mau-don", ":code", ":position", use: ProceduresPage().downloadBlankForm) }
    app.feature(.paymentNotices) { r in  // The payment platform's signed notices.
        api(r).on(.POST, "payments", "notify", body: .collect(maxSize: "16kb"), use: PaymentNotices().notify)
        api(r).get("payments", "vnpay", "ipn", use: VNPayPages().ipn)
    }

    app.feature(.postalNotices) { r in  // The post's signed delivery notices.
        api(r).on(.POST, "postal", "notify", body: .collect(maxSize: "16kb"), use: PostalShipments.notify)
    }
    app.feature(.nationalInbox) { r in  // The national portal's dossiers, signed by it, files in base64.
        let limit = ByteCount(value: app.motcua.settings.maxUploadBytes * 4 + 1_048_576)
        api(r).on(.POST, "national", "dossiers", body: .collect(maxSize: limit), use: NationalInbox().receive)
    }

    app.feature(.health) { r in  // For the load balancer, systemd and Prometheus.
        let health = HealthPages()
        r.get("healthz", use: health.alive)
        r.get("readyz", use: health.ready)
        r.get("metrics", use: health.metrics)
    }
    app.feature(.login) { r in  // Log in and out.
        let pages = AccountPages()
        r.get("dang-nhap", use: pages.loginForm)
        r.post("dang-nhap", use: pages.login)
        r.post("dang-xuat", use: pages.logout)
        let sso = NationalSSOPages()  // Through the national portal's SSO (VNeID), when configured.
        r.get("dang-nhap", "dvcqg", use: sso.start)
        r.get("dang-nhap", "dvcqg", "ve", use: sso.callback)
        let staff = StaffSignOn()  // Staff through the province's OpenID Connect provider, when configured.
        r.get("dang-nhap", "can-bo", use: staff.start)
        r.get("dang-nhap", "can-bo", "ve", use: staff.callback)
        api(r).post("login", use: AccountAPI().login)
    }
    app.feature(.registration) { r in  // The portal's accounts: register, verify the e-mail, reset the password.
        let register = RegistrationPages(), reset = PasswordResetPages()
        r.get("dang-ky", use: register.show)
        r.post("dang-ky", use: register.register)
        r.get("xac-minh-email", use: register.verify)
        r.get("gui-lai-xac-minh", use: register.resendForm)
        r.post("gui-lai-xac-minh", use: register.resend)
        r.get("quen-mat-khau", use: reset.forgotForm)
        r.post("quen-mat-khau", use: reset.forgot)
        r.get("dat-lai-mat-khau", use: reset.resetForm)
        r.post("dat-lai-mat-khau", use: reset.reset)
    }
    app.feature(.account) { r in  // Thông tin tài khoản.
        let profile = ProfilePage(), account = AccountAPI()
        r.get("tai-khoan", use: profile.show)
        r.post("tai-khoan", "thong-tin", use: profile.updateName)
        r.post("tai-khoan", "mat-khau", use: profile.changePassword)
        r.get("tai-khoan", "anh-dai-dien", use: profile.avatar)
        r.on(.POST, "tai-khoan", "anh-dai-dien", body: .collect(maxSize: "2mb"), use: profile.uploadAvatar)
        r.post("tai-khoan", "anh-dai-dien", "xoa", use: profile.removeAvatar)
        r.post("tai-khoan", "thong-bao", use: PortalAccountSection.setNotifications)
        r.post("tai-khoan", "kenh-thong-bao", use: PortalAccountSection.setChannels)
        r.post("tai-khoan", "thanh-vien", use: PortalAccountSection.addMember)
        r.post("tai-khoan", "thanh-vien", "xoa", use: PortalAccountSection.removeMember)
        api(r).post("logout", use: account.logout)
        api(r).get("me", use: account.me)
    }
    app.feature(.home) { r in r.get("trang-chu", use: HomePage().show) }

    // Administration: accounts, the audit log, agencies, the catalogue, the calendar.
    app.feature(.users) { r in
        let users = UsersPage()
        r.get("quan-tri", "nguoi-dung", use: users.show)
        r.post("quan-tri", "nguoi-dung", use: users.create)
        r.post("quan-tri", "nguoi-dung", ":id", "mat-khau", use: users.resetPassword)
        r.get("quan-tri", "nguoi-dung", ":id", "sua", use: users.editForm)
        r.post("quan-tri", "nguoi-dung", ":id", "sua", use: users.update)
        r.post("quan-tri", "nguoi-dung", ":id", ":action", use: users.setDisabled)
    }
    app.feature(.auditLog) { r in r.get("quan-tri", "nhat-ky", use: AuditLogPage().show) }
    app.feature(.agencies) { r in
        let agencies = AgenciesPage()
        r.get("quan-tri", "co-quan", use: agencies.show)
        r.post("quan-tri", "co-quan", use: agencies.create)
        r.post("quan-tri", "co-quan", ":id", "doi-ten", use: agencies.rename)
        r.post("quan-tri", "co-quan", ":id", "giai-the", use: agencies.close)
    }
    app.feature(.catalogueLists) { r in  // phong-ban, linh-vuc
        let lists = CatalogueListsPage()
        r.get("quan-tri", ":list", use: lists.show)
        r.post("quan-tri", ":list", use: lists.create)
        r.post("quan-tri", ":list", ":id", use: lists.update)
    }
    app.feature(.procedures) { r in
        let procedures = ProceduresPage()
        r.get("quan-tri", "thu-tuc", use: procedures.list)
        r.get("quan-tri", "thu-tuc", "moi", use: procedures.newForm)
        r.post("quan-tri", "thu-tuc", "moi", use: procedures.create)
        r.get("quan-tri", "thu-tuc", ":id", use: procedures.editForm)
        r.post("quan-tri", "thu-tuc", ":id", use: procedures.update)
        r.on(
            .POST, "quan-tri", "thu-tuc", ":id", "mau-don",
            body: .collect(maxSize: ByteCount(value: app.motcua.settings.maxUploadBytes + 1_048_576)),
            use: procedures.uploadBlankForm)
    }
    app.feature(.nationalSync) { r in  // The outbox to the national portal, and its catalogue's differences.
        let page = NationalSyncPage(), catalogue = NationalCatalogue()
        r.get("quan-tri", "dong-bo-dvc-quoc-gia", use: page.show)
        r.post("quan-tri", "dong-bo-dvc-quoc-gia", "gui-lai", use: page.retry)
        r.get("quan-tri", "dong-bo-dvc-quoc-gia", "danh-muc", use: catalogue.show)
        r.post("quan-tri", "dong-bo-dvc-quoc-gia", "danh-muc", use: catalogue.apply)
    }
    app.feature(.calendar) { r in
        let calendar = CalendarPage()
        r.get("quan-tri", "lich-lam-viec", use: calendar.show)
        r.on(.POST, "quan-tri", "lich-lam-viec", "nhap", body: .collect(maxSize: "1mb"), use: calendar.importFile)
        r.get("quan-tri", "lich-lam-viec", ":year", "xuat", use: calendar.export)
        r.post("quan-tri", "lich-lam-viec", ":year", "them", use: calendar.add)
        r.post("quan-tri", "lich-lam-viec", ":year", "xoa", use: calendar.remove)
        r.post("quan-tri", "lich-lam-viec", ":year", "hoan-doi", use: calendar.swap)
    }

    // The reception desk: the counter, the hand-over, the day's book.
    app.feature(.counter) { r in
        let counter = CounterPage()
        r.get("tiep-nhan", use: counter.show)
        r.post("tiep-nhan", use: counter.receive)
    }
    app.feature(.handOver) { r in r.post("ban-giao", use: HandOverPage().handOver) }
    app.feature(.logBook) { r in  // The day's book on screen; with a date range, the book as printed.
        r.get("so-theo-doi") { req async throws -> Response in
            let printed = req.query[String.self, at: "from"] != nil || req.query[String.self, at: "to"] != nil
            return printed ? try await LogBookForm().show(req: req) : try await LogBookPage().show(req: req)
        }
    }

    app.feature(.assignment) { r in  // The department head's assignment of officers.
        let page = AssignmentPage()
        r.get("phan-cong", use: page.show)
        r.post("phan-cong", use: page.assign)
    }

    app.feature(.dossierSearch) { r in  // Dossier list and search.
        r.get("ho-so", use: DossierListPage().show)
        api(r).get("dossiers", use: DossierListAPI().list)
    }
    app.feature(.intake) { r in api(r).post("dossiers", use: IntakeAPI().create) }
    app.feature(.onlineSubmission) { r in  // Nộp hồ sơ trực tuyến: the draft, its files, the review, the submission.
        let pages = DraftPages()
        let upload = ByteCount(value: app.motcua.settings.maxUploadBytes + 1_048_576)
        r.get("nop-truc-tuyen", ":code", use: pages.start)
        r.get("nop-truc-tuyen", "ban-nhap", ":id", use: pages.show)
        r.post("nop-truc-tuyen", "ban-nhap", ":id", use: pages.save)
        r.on(.POST, "nop-truc-tuyen", "ban-nhap", ":id", "tep", body: .collect(maxSize: upload), use: pages.upload)
        r.post("nop-truc-tuyen", "ban-nhap", ":id", "tep", "xoa", use: pages.removeFile)
        r.post("nop-truc-tuyen", "ban-nhap", ":id", "tai-su-dung", use: pages.reuse)
        r.get("nop-truc-tuyen", "ban-nhap", ":id", "xem-lai", use: pages.review)
        r.post("nop-truc-tuyen", "ban-nhap", ":id", "nop", use: pages.submit)
    }
    app.feature(.myDossiers) { r in  // Hồ sơ của tôi: the list, a dossier, supplementation, withdrawal, the result.
        let pages = MyDossierPages()
        let upload = ByteCount(value: app.motcua.settings.maxUploadBytes + 1_048_576)
        r.get("ho-so-cua-toi", use: pages.list)
        r.get("ho-so-cua-toi", "kho-du-lieu", use: pages.store)
        r.get("ho-so-cua-toi", ":code", use: pages.show)
        r.post("ho-so-cua-toi", ":code", "rut", use: pages.withdraw)
        r.on(
            .POST, "ho-so-cua-toi", ":code", "bo-sung", "tep", body: .collect(maxSize: upload),
            use: pages.uploadSupplement)
        r.post("ho-so-cua-toi", ":code", "bo-sung", use: pages.sendSupplement)
        r.get("ho-so-cua-toi", ":code", "ket-qua", use: pages.result)
    }

    app.feature(.reports) { r in  // Statistics (Thống kê báo cáo).
        let summary = SummaryPage()
        r.get("thong-ke", use: summary.show)
        r.get("thong-ke", "ho-so", use: summary.list)
        let custom = CustomReportPage()
        r.get("thong-ke", "tuy-chon", use: custom.show)
        r.post("thong-ke", "tuy-chon", "luu", use: custom.save)
        r.post("thong-ke", "tuy-chon", ":id", "doi-ten", use: custom.rename)
        r.post("thong-ke", "tuy-chon", ":id", "xoa", use: custom.delete)
        let standard = StandardReportPage()
        r.get("thong-ke", "bao-cao", use: standard.index)
        r.get("thong-ke", "bao-cao", ":report", use: standard.show)
        let quality = QualityIndexPage()
        r.get("thong-ke", "chi-so-766", use: quality.show)
        api(r).get("reports", "summary", use: ReportsAPI().summary)
        api(r).get("reports", "quality-index", use: quality.api)
        api(r).get("reports", ":report", use: StandardReportsAPI().show)
    }
    app.feature(.evaluationScores) { r in
        let scores = EvaluationScoresPage()
        r.get("thong-ke", "danh-gia", "diem", use: scores.show)
        r.post("thong-ke", "danh-gia", "diem", use: scores.save)
    }

    app.feature(.dossierDetail) { r in  // One dossier: detail, actions, files.
        let page = DossierDetailPage(), detail = DossierDetailAPI()
        r.get("ho-so", ":code", use: page.show)
        r.post("ho-so", ":code", "thao-tac", ":action", use: page.act)
        r.on(.POST, "ho-so", ":code", "tep", body: .stream, use: page.upload)
        api(r).get("dossiers", ":code", use: detail.get)
        api(r).post("dossiers", ":code", "actions", ":action", use: detail.perform)
        // Uploads are streamed to a temporary file; the handler enforces the configured maximum.
        api(r).on(.POST, "dossiers", ":code", "files", body: .stream, use: detail.upload)
        api(r).get("dossiers", ":code", "files", ":file", use: detail.download)
    }
    app.feature(.printedForms) { r in r.get("ho-so", ":code", "mau", ":number", use: FormPages().show) }
}
