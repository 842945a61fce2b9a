#!/usr/bin/env python3
"""Writes a synthetic directory as LDIF for the benchmark: inetOrgPerson users and groupOfNames groups under
dc=example,dc=org, ready for `slapadd -q`.

The output is deterministic for a given --users, --groups and --seed. Users carry uid, cn, sn, givenName, displayName,
mail (their userPrincipalName) and, for most of them, c (usage location). Group sizes are skewed like a real company:
a few groups hold a large share of all users (the largest 30 % of them: 30,000 of 100,000), most hold a handful.
There are about 2.75 member values per user in all, and about 5 % of the groups are nested into another group
(always into one written before them, so nesting never forms a cycle). The license groups of the benchmark
configuration are among the large ones: "Intune Users", "E3 Staff" and "Visio Users".

With --changes-out it also writes 100 changes for ldapmodify: 90 users get a new displayName, 5 users are added
and 5 deleted.

Usage: generate-directory.py --users 100000 --groups 10000 --out directory.ldif [--changes-out changes.ldif]
"""
import argparse
import random
import sys

SUFFIX = "dc=example,dc=org"
PEOPLE = "ou=people," + SUFFIX
GROUPS = "ou=groups," + SUFFIX

GIVEN = ("Ada Ben Cara Dev Eva Finn Greta Hugo Ida Jan Kira Lars Mia Nils Olga Paul Rosa Sven Tara Udo Vera Wim "
         "Xenia Yann Zoe Anton Bea Carl Dora Emil Frida Gustav Hanna Ivo Jule Karl Lena Moritz Nora Otto").split()
SURNAMES = ("Adler Becker Costa Dahl Engel Fischer Graf Hahn Ibsen Jung Koch Lang Maier Neumann Ost Peters Quast "
            "Roth Schulz Thal Ulrich Vogel Weber Xander Young Zimmer Berg Frank Horn Keller Lorenz Moser Novak "
            "Richter Sauer Thiel Urban Wolf").split()
COUNTRIES = ["DE"] * 50 + ["AT"] * 10 + ["CH"] * 8 + ["FR"] * 8 + ["NL"] * 6 + ["US"] * 8 + ["GB"] * 6 + ["PL"] * 4
MISSING_COUNTRY = 0.03           # these users get the tenant's default usage location
MEMBER_VALUES_PER_USER = 2.75
NESTED_SHARE = 0.05
# The large groups, as shares of all users: (name, share). The first three are the license groups.
LARGE_GROUPS = [("Intune Users", 0.30), ("E3 Staff", 0.20), ("Visio Users", 0.05), ("All Sales", 0.15),
                ("All Engineering", 0.10), ("Region West", 0.08), ("Region East", 0.06), ("Site Berlin", 0.04),
                ("Site Vienna", 0.03), ("Site Zurich", 0.02)]


def user_uid(index):
    return "u%07d" % index


def user_dn(index):
    return "uid=%s,%s" % (user_uid(index), PEOPLE)


def user_entry(index, rng):
    """One user entry (shared with the benchmark's added users: same shape)."""
    given = GIVEN[index % len(GIVEN)]
    surname = SURNAMES[(index // len(GIVEN)) % len(SURNAMES)]
    uid = user_uid(index)
    lines = [
        "dn: " + user_dn(index), "objectClass: inetOrgPerson", "objectClass: extensibleObject", "uid: " + uid,
        "cn: %s %s" % (given, surname), "sn: " + surname, "givenName: " + given,
        "displayName: %s %s (%s)" % (given, surname, uid),
        "mail: %s.%s.%s@example.org" % (given.lower(), surname.lower(), uid),
    ]
    if rng.random() >= MISSING_COUNTRY:
        lines.append("c: " + rng.choice(COUNTRIES))
    return "\n".join(lines) + "\n\n"


def large_count(groups):
    """One large group per hundred groups, at least the three license groups."""
    return min(groups, len(LARGE_GROUPS), max(3, groups // 100))


def group_sizes(users, groups, rng):
    """Member counts (users only) per group: the large groups first, then a heavy-tailed rest, scaled so that user
    member values plus nesting references come to about MEMBER_VALUES_PER_USER per user."""
    large = LARGE_GROUPS[:large_count(groups)]
    sizes = [max(1, int(share * users)) for _, share in large]
    rest = groups - len(sizes)
    nested = int(groups * NESTED_SHARE)
    remaining = max(rest, int(MEMBER_VALUES_PER_USER * users) - sum(sizes) - nested)
    if rest > 0:
        cap = max(1, users // 100)
        raw = [min(rng.paretovariate(1.3), 1000.0) for _ in range(rest)]
        scale = remaining / sum(raw)
        for _ in range(8):      # clipping to [1, cap] moves the total: rescale until it lands
            rest_sizes = [max(1, min(cap, round(value * scale))) for value in raw]
            scale *= remaining / sum(rest_sizes)
        sizes += rest_sizes
    names = [name for name, _ in large] + ["grp-%06d" % index for index in range(len(large), groups)]
    return names, sizes


def nesting(groups, large_count, rng):
    """child index -> parent index, for about NESTED_SHARE of the groups; a parent is always an earlier group."""
    children = rng.sample(range(large_count, groups), min(groups - large_count, int(groups * NESTED_SHARE)))
    parents = {}
    for child in children:
        # A quarter go into the license groups (nested licensing), the rest into any earlier group.
        parents[child] = rng.randrange(0, min(3, child)) if rng.random() < 0.25 else rng.randrange(0, child)
    return parents


def write_directory(users, groups, seed, out):
    rng = random.Random(seed)
    out.write("dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example Corp\ndc: example\n\n" % SUFFIX)
    out.write("dn: %s\nobjectClass: organizationalUnit\nou: people\n\n" % PEOPLE)
    out.write("dn: %s\nobjectClass: organizationalUnit\nou: groups\n\n" % GROUPS)
    chunk = []
    for index in range(users):
        chunk.append(user_entry(index, rng))
        if len(chunk) == 10_000:
            out.write("".join(chunk))
            chunk = []
    out.write("".join(chunk))

    names, sizes = group_sizes(users, groups, rng)
    parents = nesting(groups, large_count(groups), rng)
    nested_children = {}
    for child, parent in parents.items():
        nested_children.setdefault(parent, []).append(child)
    member_values = 0
    population = range(users)
    for index, (name, size) in enumerate(zip(names, sizes)):
        members = sorted(rng.sample(population, min(size, users)))
        lines = ["dn: cn=%s,%s" % (name, GROUPS), "objectClass: groupOfNames", "cn: " + name]
        lines += ["member: " + user_dn(member) for member in members]
        lines += ["member: cn=%s,%s" % (names[child], GROUPS) for child in nested_children.get(index, [])]
        member_values += len(lines) - 3
        out.write("\n".join(lines) + "\n\n")
    return member_values, len(parents)


def write_changes(users, out):
    """The benchmark's 100 changes as ldapmodify input: 90 display names changed, 5 users added, 5 deleted."""
    rng = random.Random(users)
    step = max(1, users // 100)
    for index in range(0, 90 * step, step):
        out.write("dn: %s\nchangetype: modify\nreplace: displayName\ndisplayName: Renamed %s\n-\n\n"
                  % (user_dn(index % users), user_uid(index % users)))
    for index in range(users, users + 5):
        out.write(user_entry(index, rng).replace("\nobjectClass:", "\nchangetype: add\nobjectClass:", 1))
    for index in range(users - 5, users):
        out.write("dn: %s\nchangetype: delete\n\n" % user_dn(index))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--out", required=True, help="the LDIF file to write ('-' for standard output)")
    parser.add_argument("--changes-out", help="also write 100 changes (ldapmodify input) to this file")
    args = parser.parse_args()
    if args.users < 1 or args.groups < 1:
        parser.error("--users and --groups take 1 or more")
    if args.out == "-":
        member_values, nested = write_directory(args.users, args.groups, args.seed, sys.stdout)
    else:
        with open(args.out, "w", buffering=1 << 20) as out:
            member_values, nested = write_directory(args.users, args.groups, args.seed, out)
    if args.changes_out:
        with open(args.changes_out, "w") as out:
            write_changes(args.users, out)
    print("%d users, %d groups (%d nested), %d member values" % (args.users, args.groups, nested, member_values),
          file=sys.stderr)


if __name__ == "__main__":
    main()
