import Vapor

/// Every route of MotCua, grouped by feature, so the whole URL space reads on one screen.
func routes(_ app: Application) throws {
    let api = APIController()
    let pages = PageController()

    do { // Public: the portal's pages and the API description.
        app.get(use: pages.home)
        app.get("tra-cuu", use: pages.lookup)
        app.get("dang-nhap", use: pages.loginForm)
        app.post("dang-nhap", use: pages.login)
        app.post("dang-xuat", use: pages.logout)
        app.get("openapi.yaml") { req async throws -> Response in
            let path = req.application.directory.workingDirectory + "openapi.yaml"
            let response = try await req.fileio.asyncStreamFile(at: path)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
            return response
        }
    }

    do { // Back office pages.
        app.get("ho-so", use: pages.dossiers)
        app.get("ho-so", ":code", use: pages.dossier)
        app.post("ho-so", ":code", "thao-tac", ":action", use: pages.act)
    }

    do { // JSON API.
        let v1 = app.grouped("api", "v1")
        v1.post("login", use: api.login)
        v1.post("logout", use: api.logout)
        v1.get("me", use: api.me)
        v1.get("procedures", use: api.procedures)
        v1.get("lookup", use: api.lookup)
        v1.get("dossiers", use: api.list)
        v1.post("dossiers", use: api.create)
        v1.get("dossiers", ":code", use: api.get)
        v1.post("dossiers", ":code", "actions", ":action", use: api.perform)
        // Uploads are streamed to a temporary file; the handler enforces the configured maximum.
        v1.on(.POST, "dossiers", ":code", "files", body: .stream, use: api.upload)
        v1.get("dossiers", ":code", "files", ":file", use: api.download)
    }
}
