/// Everything one read of the directory produced: the mapped users and groups in scope, and what was quarantined.
public struct DirectorySnapshot: Sendable, Hashable {
    public var users: [DirectoryUser]
    public var groups: [DirectoryGroup]
    public var quarantined: [QuarantinedEntry]

    public init(users: [DirectoryUser] = [], groups: [DirectoryGroup] = [], quarantined: [QuarantinedEntry] = []) {
        self.users = users
        self.groups = groups
        self.quarantined = quarantined
    }
}
