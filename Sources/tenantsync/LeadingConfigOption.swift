/// `--config PATH` wherever it is written (`tenantsync --config FILE users`, `tenantsync license --config FILE
/// remove …`), as operators write a global option: only the innermost subcommand parses it, so it is moved to the
/// end of the arguments.
enum LeadingConfigOption {
    /// `arguments` with every `--config PATH` / `--config=PATH` moved to the end (before a `--` terminator, if
    /// any); unchanged when no subcommand is named, so the default command sees them where they are.
    static func moved(_ arguments: [String], subcommands: Set<String>) -> [String] {
        guard arguments.contains(where: subcommands.contains) else { return arguments }
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        var kept: [String] = []
        var options: [String] = []
        var index = 0
        while index < end {
            if arguments[index] == "--config", index + 1 < end {
                options += arguments[index...index + 1]
                index += 2
            } else if arguments[index].hasPrefix("--config=") {
                options.append(arguments[index])
                index += 1
            } else {
                kept.append(arguments[index])
                index += 1
            }
        }
        return kept + options + arguments[end...]
    }
}
