/// The RFC 4514 string parser behind `DistinguishedName.init(_:)`, working on UTF-8 bytes.
struct DistinguishedNameParser {
    private let input: String
    private let bytes: [UInt8]
    private var position = 0

    private init(_ input: String) {
        self.input = input
        self.bytes = Array(input.utf8)
    }

    static func parse(_ input: String) throws(DistinguishedNameError) -> [[DistinguishedNameAttribute]] {
        var parser = DistinguishedNameParser(input)
        return try parser.parseDN()
    }

    private mutating func parseDN() throws(DistinguishedNameError) -> [[DistinguishedNameAttribute]] {
        skipSpaces()
        guard position < bytes.count else { return [] }
        var rdns: [[DistinguishedNameAttribute]] = []
        var rdn: [DistinguishedNameAttribute] = []
        while true {
            rdn.append(try parsePair())
            guard position < bytes.count else { break }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: "+") { continue }
            rdns.append(rdn)
            rdn = []
            skipSpaces()
            if position >= bytes.count { throw failure("empty RDN after the last separator") }
        }
        rdns.append(rdn)
        return rdns
    }

    private mutating func parsePair() throws(DistinguishedNameError) -> DistinguishedNameAttribute {
        skipSpaces()
        let type = try parseType()
        skipSpaces()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
            throw failure("expected '=' after attribute type \"\(type)\"")
        }
        position += 1
        skipSpaces()
        let value = try parseValue()
        return DistinguishedNameAttribute(type: type, value: value)
    }

    private mutating func parseType() throws(DistinguishedNameError) -> String {
        let start = position
        while position < bytes.count, isTypeCharacter(bytes[position]) { position += 1 }
        guard position > start else { throw failure("expected an attribute type") }
        let type = String(decoding: bytes[start..<position], as: UTF8.self)
        let isNumericOID = type.first?.isNumber == true
        if isNumericOID {
            let parts = type.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
                throw failure("malformed numeric OID \"\(type)\"")
            }
        } else if type.contains(".") || !(type.first?.isLetter ?? false) {
            throw failure("malformed attribute type \"\(type)\"")
        }
        return type
    }

    private mutating func parseValue() throws(DistinguishedNameError) -> String {
        if position < bytes.count, bytes[position] == UInt8(ascii: "#") { return try parseHexValue() }
        var value: [UInt8] = []
        var lengthWithoutTrailingSpaces = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "+") { break }
            position += 1
            switch byte {
            case UInt8(ascii: "\\"):
                value.append(try parseEscape())
                lengthWithoutTrailingSpaces = value.count
            case UInt8(ascii: "\""):
                throw failure("unescaped '\"' in attribute value", at: position - 1)
            case UInt8(ascii: " "):
                value.append(byte)
            default:
                value.append(byte)
                lengthWithoutTrailingSpaces = value.count
            }
        }
        let kept = value[..<lengthWithoutTrailingSpaces]
        guard let text = String(validating: kept, as: UTF8.self) else {
            throw failure("attribute value is not valid UTF-8")
        }
        return text
    }

    private mutating func parseEscape() throws(DistinguishedNameError) -> UInt8 {
        guard position < bytes.count else { throw failure("dangling '\\' at the end") }
        let first = bytes[position]
        if let high = hexDigit(first) {
            guard position + 1 < bytes.count, let low = hexDigit(bytes[position + 1]) else {
                throw failure("'\\' must be followed by two hex digits or a special character")
            }
            position += 2
            return high << 4 | low
        }
        let specials: Set<UInt8> = Set(" \"#+,;<=>\\".utf8)
        guard specials.contains(first) else {
            throw failure("'\\\(Character(Unicode.Scalar(first)))' is not a valid escape")
        }
        position += 1
        return first
    }

    private mutating func parseHexValue() throws(DistinguishedNameError) -> String {
        let start = position
        position += 1
        while position < bytes.count, hexDigit(bytes[position]) != nil { position += 1 }
        let digits = position - start - 1
        guard digits > 0, digits % 2 == 0 else { throw failure("'#' value needs an even number of hex digits") }
        let value = String(decoding: bytes[start..<position], as: UTF8.self).lowercased()
        skipSpaces()
        if position < bytes.count, !Set(",;+".utf8).contains(bytes[position]) {
            throw failure("unexpected character after '#' value")
        }
        return value
    }

    private mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
    }

    private func isTypeCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private func failure(_ reason: String, at offset: Int? = nil) -> DistinguishedNameError {
        DistinguishedNameError(input: input, reason: reason, offset: offset ?? position)
    }
}
