import TenantModel

extension DirectAssignment {
    /// Whether `other` grants the same licence (user, SKU and disabled plans), whenever each was last updated.
    func isSameLicence(as other: DirectAssignment) -> Bool {
        userId == other.userId && skuPartNumber == other.skuPartNumber && disabledPlans == other.disabledPlans
    }

    /// The licence without its time, for comparing sets of assignments.
    var licence: DirectAssignment {
        DirectAssignment(userId: userId, skuPartNumber: skuPartNumber, disabledPlans: disabledPlans)
    }
}
