"""Checks an authority's timescale file before it is loaded: it parses (its LA number and ONS code
among the rest), builds into a policy over the national defaults, and names no authority another
file names. Its own module, as it needs both the parser and the policy builder.

    python -m cases.rules.check config/authorities/*.toml
"""

import sys
from pathlib import Path

from .config import ConfigError, load_file
from .policy import build_policy


def main(paths: list[str]) -> int:
    """Check timescale files: `python -m cases.rules.check config/authorities/*.toml`."""
    configs = {}
    for path in paths:
        try:
            config = load_file(Path(path))
        except ConfigError as error:
            print(error, file=sys.stderr)
            return 1
        configs[config.slug] = config
    if clash := identifier_clash(configs.values()):
        print(clash, file=sys.stderr)
        return 1
    england = configs.get("england") or load_file(Path(paths[0]).with_name("england.toml"))
    for slug, config in configs.items():
        try:
            policy = build_policy(england, None if slug == "england" else config)
        except ConfigError as error:
            print(error, file=sys.stderr)
            return 1
        deadlines = [k for k in policy.all_keys() if policy.timescale(k).is_deadline]
        codes = f", LA {config.la_number}, ONS {config.ons_code}" if config.la_number or config.ons_code else ""
        print(f"{slug}: {len(config.timescales)} own entries, {len(deadlines)} deadlines in force{codes}")
    return 0


def identifier_clash(configs) -> str:
    """Two files with one LA number or ONS code would send one authority's returns as the other's."""
    seen: dict[tuple[str, str], str] = {}
    for config in configs:
        for name in ("la_number", "ons_code"):
            value = getattr(config, name)
            if not value:
                continue
            if (name, value) in seen:
                return f"{config.slug}: [authority] {name} {value!r} is also {seen[name, value]}'s"
            seen[name, value] = config.slug
    return ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
