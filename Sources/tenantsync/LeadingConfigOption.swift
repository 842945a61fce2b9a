/// `--config PATH` written before the subcommand (`tenantsync --config FILE users --json`), as operators write a
/// global option: the root command does not parse it, so it is moved behind the subcommand, which does.
enum LeadingConfigOption {
    /// `arguments` with every `--config PATH` / `--config=PATH` before the first subcommand name moved to the end
    /// (before a `--` terminator, if any); unchanged when there is none or no subcommand is named.
    static func moved(_ arguments: [String], subcommands: Set<String>) -> [String] {
        guard let subcommand = arguments.firstIndex(where: subcommands.contains) else { return arguments }
        var leading = Array(arguments[..<subcommand])
        var options: [String] = []
        var index = 0
        while index < leading.count {
            if leading[index] == "--config", index + 1 < leading.count {
                options += leading[index...index + 1]
                leading.removeSubrange(index...index + 1)
            } else if leading[index].hasPrefix("--config=") {
                options.append(leading.remove(at: index))
            } else {
                index += 1
            }
        }
        guard !options.isEmpty else { return arguments }
        var rest = Array(arguments[subcommand...])
        rest.insert(contentsOf: options, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return leading + rest
    }
}
