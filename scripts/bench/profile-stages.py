#!/usr/bin/env python3
"""Profiles one `tenantsync --once` from outside, by pipeline stage: runs it under `perf record -g` (monotonic clock)
while sampling its RSS from /proc every 20 ms, then attributes every CPU sample to the stage whose function is on
its call stack, and prints per stage: first and last sample (wall seconds since start), CPU seconds, the RSS at the
stage's end and its growth during it, and the hottest leaf functions.

Usage: profile-stages.py [--frequency HZ | --faults] [--top N] -- TENANTSYNC_BINARY --once --log-target stderr 2>/dev/null \
         | swift demangle --simplified
Needs `perf` (Debian: linux-perf) and a release build (symbols are kept). TENANTSYNC_CONFIG is passed through.
"""
import argparse
import collections
import os
import subprocess
import sys
import tempfile
import threading
import time

# (stage, substrings of mangled Swift symbols on the call stack); the first stage with a match anywhere on the stack
# wins, so mapping (called from inside the read) is told apart from the read itself.
STAGES = [
    ("map entries", ["EntryMapper", "DirectoryReaderV9directory"]),   # the DN normalizer is a closure of the init
    ("ldap read", ["DirectoryReader", "LDAPConnection"]),
    ("directory planning", ["DirectoryPlanner", "applyUsageLocations"]),
    ("licensing", ["LicensingStep", "LicenseEvaluator", "LicenseEvaluation"]),
    ("store loadState", ["loadState", "StateReader", "NarrowStateReader", "StoredContentHashes"]),
    ("store apply", ["ChangeWriter", "TenantStore5apply", "recordRun", "RunHistory"]),
    ("report", ["Reporting", "RunReporter", "RunJournal", "StderrLogHandler"]),
    ("config + catalog", ["ConfigLoader", "ConfigDecoder", "SkuCatalog", "SyncContext"]),
]


OWN_MODULES = ("10LDAPClient", "16DirectoryMapping", "9Licensing", "10SyncEngine", "11TenantStore", "11TenantModel",
               "9Reporting")
READ_STAGES = ("ldap read", "map entries")
UNATTRIBUTED = ("other (startup, runtime, threads)", "report")


def stage_of(frames):
    for stage, needles in STAGES:
        if any(needle in symbol for symbol in frames for needle in needles):
            return stage
    return "other (startup, runtime, threads)"


def sample_rss(pid, samples, stop):
    path = "/proc/%d/status" % pid
    while not stop.is_set():
        try:
            with open(path) as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        samples.append((time.monotonic(), int(line.split()[1])))
                        break
        except OSError:
            return
        time.sleep(0.02)


def parse_samples(data):
    """Yields (time, leaf symbol, [symbols leaf to root]) from `perf script`."""
    output = subprocess.run(
        ["perf", "script", "-i", data, "-F", "time,ip,sym", "--ns"], capture_output=True, text=True, check=True
    ).stdout
    for block in output.split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines:
            continue
        try:
            when = float(lines[0].rstrip(":").split()[-1])
        except ValueError:
            continue
        frames = [line.split(None, 1)[1] if " " in line else line for line in lines[1:]]
        yield when, (frames[0] if frames else "?"), frames


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frequency", type=int, default=999)
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--faults", action="store_true",
                        help="sample every page fault instead of CPU time: where memory is first touched (RSS growth)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the tenantsync command after --")
    folder = tempfile.mkdtemp(prefix="tenantsync-profile.")
    data = os.path.join(folder, "perf.data")
    started = time.monotonic()
    perf = subprocess.Popen(
        ["perf", "record", "-q", "-k", "CLOCK_MONOTONIC"]
        + (["-e", "page-faults", "-c", "1"] if args.faults else ["-F", str(args.frequency)])
        + ["-g", "-o", data, "--"] + command,
        stderr=subprocess.DEVNULL)
    rss, stop = [], threading.Event()
    # perf forks the command: its child is the process to watch.
    child = None
    for _ in range(500):
        try:
            with open("/proc/%d/task/%d/children" % (perf.pid, perf.pid)) as children:
                found = children.read().split()
            if found:
                child = int(found[0])
                break
        except OSError:
            pass
        time.sleep(0.002)
    sampler = threading.Thread(target=sample_rss, args=(child, rss, stop)) if child else None
    if sampler:
        sampler.start()
    status = perf.wait()
    stop.set()
    if sampler:
        sampler.join()
    wall = time.monotonic() - started
    print("exit code %d, wall %.2f s, peak sampled RSS %.0f MB" % (status, wall, max((kb for _, kb in rss), default=0) / 1024))

    # One sample is 1/frequency CPU seconds, or with --faults one 4 KiB page (shown in MB).
    period = 4096 / (1 << 20) if args.faults else 1.0 / args.frequency
    unit = "MB" if args.faults else "cpu s"
    # Samples whose stack does not reach a stage (libsqlite3 and the kernel have no frame pointers, so their stacks
    # stop early) belong to the stage of the sample before them: the cycle runs its stages one after the other.
    segments = []           # [stage, first time, last time, samples, leaves]
    read_split = collections.Counter()
    inclusive = collections.defaultdict(collections.Counter)   # stage -> own function -> samples with it on the stack
    for when, leaf, frames in sorted(parse_samples(data), key=lambda sample: sample[0]):
        stage = stage_of(frames)
        read_split[stage] += 1
        if stage in READ_STAGES:
            stage = "ldap read + map"     # interleaved entry by entry: one stage on the timeline, split in the totals
        if stage in UNATTRIBUTED and segments:
            stage = segments[-1][0]
        if not segments or segments[-1][0] != stage:
            segments.append([stage, when, when, 0, collections.Counter()])
        segment = segments[-1]
        segment[2] = when
        segment[3] += 1
        segment[4][leaf] += 1
        inclusive[stage].update({symbol for symbol in frames if any(module in symbol for module in OWN_MODULES)})

    def rss_at(moment):
        before = [kb for when, kb in rss if when <= moment]
        return (before[-1] if before else 0) / 1024

    print("\ntimeline (stages as they follow each other; seconds since start)")
    print("%-34s %8s %8s %8s %9s" % ("stage", "from s", "to s", unit, "RSS@end"))
    totals = collections.OrderedDict()
    for stage, first, last, samples, leaves in segments:
        if samples * period >= 0.02:
            print("%-34s %8.2f %8.2f %8.2f %8.0fM" % (stage, first - started, last - started, samples * period, rss_at(last)))
        total = totals.setdefault(stage, [0, 0.0, collections.Counter()])
        total[0] += samples
        total[1] += last - first + period
        total[2].update(leaves)
    print("\n%-34s %8s %8s" % ("stage totals", "wall s", unit))
    for stage, (samples, span, _) in totals.items():
        print("%-34s %8.2f %8.2f" % (stage, span, samples * period))
        if stage == "ldap read + map":
            for part in READ_STAGES:
                print("%-34s %8s %8.2f" % ("  of which " + part, "", read_split[part] * period))
    for stage, (samples, _, leaves) in totals.items():
        print("\n%s: hottest leaf functions (%s)" % (stage, unit))
        for leaf, count in leaves.most_common(args.top):
            print("  %8.2f  %s" % (count * period, leaf[:160]))
        print("%s: own functions, inclusive (%s)" % (stage, unit))
        for symbol, count in inclusive[stage].most_common(args.top):
            print("  %8.2f  %s" % (count * period, symbol[:160]))
    subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    main()
