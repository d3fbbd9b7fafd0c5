import MotCuaCore
import Testing

/// The two sets' numbering (Thông tư 03/2025: seven forms; 01/2018: six) and when a form exists.
struct PrintedFormTests {
    @Test func theSetsNumberTheirFormsAsTheCircularsDo() {
        let new = FormSet.circular03of2025, old = FormSet.circular01of2018
        #expect(FormSet.default == new)
        #expect(new.forms.count == 7 && old.forms.count == 6)
        #expect(new.number(of: .stopNotice) == "05" && old.number(of: .stopNotice) == nil)
        #expect(new.number(of: .controlSlip) == "06" && old.number(of: .controlSlip) == "05")
        #expect(new.number(of: .logBook) == "07" && old.number(of: .logBook) == "06")
        for set in FormSet.allCases {
            for (i, form) in set.forms.enumerated() {
                #expect(set.form(number: set.number(of: form)!) == form)
                #expect(set.form(number: "\(i + 1)") == form)
                #expect(set.template(of: form) == "Forms/\(form.templateName)")
            }
            for bad in ["0", "00", "08", "-1", "1.0", "001", "", "abc", "\(set.forms.count + 1)"] { #expect(set.form(number: bad) == nil, "\(bad)") }
        }
        #expect(new.template(of: .stopNotice) == "Forms/stop-notice" && old.template(of: .stopNotice) == nil)
        // One template per form: only the sentences the circulars word differently are the set's data.
        #expect(new.phrases(of: .apology)["promise"]!.contains("gia hạn") && !old.phrases(of: .apology)["promise"]!.contains("gia hạn"))
        #expect(old.phrases(of: .apology)["lateness"] == "" && new.phrases(of: .apology)["lateness"]!.contains("đúng hạn"))
        #expect(Set(new.phrases(of: .apology).keys) == Set(old.phrases(of: .apology).keys))
        #expect(new.title(of: .apology).contains("GIA HẠN") && old.title(of: .apology) == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    }

    @Test func aFormExistsOnceWhatItRecordsHappened() {
        #expect(PrintedForm.receipt.isAvailable(received: true, logged: []) && !PrintedForm.receipt.isAvailable(received: false, logged: [.submit]))
        #expect(PrintedForm.controlSlip.isAvailable(received: false, logged: []))
        #expect(!PrintedForm.supplementRequest.isAvailable(received: true, logged: [.receive]))
        #expect(PrintedForm.supplementRequest.isAvailable(received: true, logged: [.receive, .requestSupplement]))
        #expect(PrintedForm.refusal.isAvailable(received: false, logged: [.submit, .reject]))
        #expect(PrintedForm.apology.isAvailable(received: true, logged: [.apologise]) && PrintedForm.stopNotice.isAvailable(received: true, logged: [.withdraw]))
        for form in PrintedForm.allCases where form.recordedAction != nil { #expect(!form.missingEventMessage.isEmpty) }
    }
}
