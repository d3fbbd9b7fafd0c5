import Foundation
import MotCuaCore
import Vapor

/// A brand-name SMS gateway over HTTP (MOTCUA_SMS_*): a POST of JSON `{brandname, phone, message,
/// requestId}` with HTTP basic authentication; it answers `{"code": "00", "messageId": ...}` when it
/// takes the message. The carriers' gateways (VNPT, Viettel, MobiFone) differ in their field names,
/// not in this exchange; docs/notifications.md says how to adapt one.
struct SMSSettings: Sendable {
    var url: URL
    var brandname: String
    var username: String?
    var password: String?

    init?(environment: [String: String]) throws {
        let value = EnvironmentSettings(environment: environment).value
        guard let text = value("MOTCUA_SMS_URL") else { return nil }
        let url = try EnvironmentSettings.url("MOTCUA_SMS_URL", text)
        guard let brandname = value("MOTCUA_SMS_BRANDNAME"), brandname.count <= 11 else {
            throw CalendarError.invalidDuration(
                "Cần đặt MOTCUA_SMS_BRANDNAME (tên thương hiệu đã đăng ký, tối đa 11 ký tự)")
        }
        self.url = url
        self.brandname = brandname
        username = value("MOTCUA_SMS_USER")
        password = value("MOTCUA_SMS_PASSWORD")
    }
}

/// Zalo's notification service (ZNS, MOTCUA_ZALO_*): a POST of `{phone, template_id, template_data,
/// tracking_id}` with the official account's `access_token` header; it answers `{"error": 0, "data":
/// {"msg_id": ...}}`. Each kind of notice has its approved template (MOTCUA_ZALO_TEMPLATES,
/// `received=123456,completed=234567,...`); a kind without one is not sent by Zalo.
struct ZaloSettings: Sendable {
    static let defaultURL = "https://business.openapi.zalo.me/message/template"
    var url: URL
    var accessToken: String
    var templates: [String: String]

    init?(environment: [String: String]) throws {
        let value = EnvironmentSettings(environment: environment).value
        guard let token = value("MOTCUA_ZALO_ACCESS_TOKEN") else { return nil }
        let url = try EnvironmentSettings.url("MOTCUA_ZALO_URL", value("MOTCUA_ZALO_URL") ?? Self.defaultURL)
        var templates: [String: String] = [:]
        for pair in (value("MOTCUA_ZALO_TEMPLATES") ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[1].allSatisfy(\.isNumber) else {
                throw CalendarError.invalidDuration(
                    "MOTCUA_ZALO_TEMPLATES: “\(pair)” phải có dạng loại=mã mẫu, ví dụ received=123456")
            }
            templates[parts[0]] = parts[1]
        }
        self.url = url
        accessToken = token
        self.templates = templates
    }
}

/// Sends one SMS or Zalo message; what the gateway said decides: taken (its id), try again later,
/// or refused for good.
enum MessagingGateways {
    enum Outcome: Equatable {
        case delivered(id: String?)
        case retry(String)
        case refused(String)
    }

    static func post(_ url: URL, json: [String: Any], headers: HTTPHeaders, client: any Client) async -> (
        status: HTTPStatus?, answer: [String: Any], error: String?
    ) {
        do {
            let body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            let response = try await client.post(URI(string: url.absoluteString)) { r in
                r.timeout = .seconds(20)
                r.headers = headers
                r.headers.contentType = .json
                r.body = ByteBuffer(data: body)
            }
            let object = response.body.flatMap { try? JSONSerialization.jsonObject(with: Data(buffer: $0)) }
            return (response.status, object as? [String: Any] ?? [:], nil)
        } catch {
            return (nil, [:], String(String(describing: error).prefix(300)))
        }
    }

    static func string(_ value: Any?) -> String? {
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return n.stringValue }
        return nil
    }

    static func sms(to phone: String, text: String, id: UUID, _ s: SMSSettings, client: any Client) async -> Outcome {
        var headers = HTTPHeaders()
        if let user = s.username, let password = s.password {
            headers.basicAuthorization = BasicAuthorization(username: user, password: password)
        }
        let r = await post(
            s.url, json: ["brandname": s.brandname, "phone": phone, "message": text, "requestId": id.uuidString],
            headers: headers, client: client)
        guard let status = r.status else { return .retry("Không kết nối được cổng SMS: \(r.error ?? "")") }
        let code = string(r.answer["code"]), message = string(r.answer["message"]) ?? ""
        if status == .ok, code == "00" { return .delivered(id: string(r.answer["messageId"])) }
        // A wrong number or a text the carrier refuses stays refused; anything else may pass later.
        if status == .badRequest || status == .unprocessableEntity {
            return .refused("Cổng SMS từ chối (mã \(code ?? "?")): \(message)")
        }
        return .retry("Cổng SMS trả lời HTTP \(status.code), mã \(code ?? "?"): \(message)")
    }

    static func zalo(
        to phone: String, template: String, data: [String: String], id: UUID, _ z: ZaloSettings, client: any Client
    ) async -> Outcome {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: "access_token", value: z.accessToken)
        let r = await post(
            z.url,
            json: ["phone": phone, "template_id": template, "template_data": data, "tracking_id": id.uuidString],
            headers: headers, client: client)
        guard let status = r.status else { return .retry("Không kết nối được Zalo: \(r.error ?? "")") }
        let error = string(r.answer["error"]).flatMap(Int.init), message = string(r.answer["message"]) ?? ""
        if status == .ok, error == 0 {
            return .delivered(id: string((r.answer["data"] as? [String: Any])?["msg_id"]))
        }
        // Zalo's errors: the phone has no Zalo account or refused the official account (-108, -118,
        // -139), the template or its data are wrong (-112, -124 ... -131): refused; a token expired
        // (-124 at times, -216), a quota or a fault (-32, -201): tried again.
        guard let error, status == .ok else { return .retry("Zalo trả lời HTTP \(status.code): \(message)") }
        if [-108, -118, -139, -112, -131].contains(error) {
            return .refused("Zalo từ chối (lỗi \(error)): \(message)")
        }
        return .retry("Zalo báo lỗi \(error): \(message)")
    }
}
