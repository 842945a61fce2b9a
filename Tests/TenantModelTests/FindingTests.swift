import Testing

@testable import TenantModel

@Suite struct FindingTests {
    @Test func licenceErrorsOfUsersCountButAdviceQuarantinesAndRuleProblemsDoNot() {
        let seat = Finding(kind: .countViolation, userPrincipalName: "a@x.org", skuPartNumber: "INTUNE_A", detail: "no seat")
        let advice = Finding(kind: .redundantDirectAssignment, userPrincipalName: "a@x.org", detail: "safe to remove")
        let missing = Finding(kind: .other, userPrincipalName: "uid=b,dc=x", detail: Finding.quarantinePrefix + "uid=b,dc=x: no mail")
        let duplicate = Finding(kind: .uniquenessViolation, userPrincipalName: "c@x.org", detail: Finding.quarantinePrefix + "uid=c2,dc=x: taken")
        let rule = Finding(kind: .other, userPrincipalName: "", group: "Nobody", detail: "group not found")
        #expect(seat.isLicenseError)
        #expect(!advice.isLicenseError)
        #expect(!missing.isLicenseError && missing.isQuarantine)
        #expect(duplicate.isLicenseError && duplicate.isQuarantine)
        #expect(!rule.isLicenseError)
    }
}
