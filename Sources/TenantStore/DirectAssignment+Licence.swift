import TenantModel

extension DirectAssignment {
    /// Whether `other` grants the same licence (user, SKU and disabled plans in any order), whenever each was last
    /// updated.
    func isSameLicence(as other: DirectAssignment) -> Bool {
        licence == other.licence
    }

    /// The licence without its time, its disabled plans sorted: for comparing assignments.
    var licence: DirectAssignment {
        DirectAssignment(userId: userId, skuPartNumber: skuPartNumber, disabledPlans: disabledPlans.sorted())
    }
}
