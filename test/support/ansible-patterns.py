"""Ansible's answer for many host patterns at once: the oracle of the inventory tests.

Reads [{"id", "sources": [...], "patterns": [...], "limits": [[limit, pattern], ...]}] as JSON on
stdin (sources relative to the working directory) and prints {id: {"patterns": {pattern: hosts or
{"error": message}}, "limits": [...]}}. One process loads ansible once for every case;
ANSIBLE_HOST_PATTERN_MISMATCH=error makes an unknown name an error, as it is in runbook.
"""
import json
import sys

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader


def hosts_of(inventory, pattern, limit=None):
    try:
        inventory.subset(limit)
        return [h.name for h in inventory.get_hosts(pattern)]
    except Exception as error:  # an AnsibleError is the answer, not a failure of the oracle
        return {"error": str(error)}
    finally:
        inventory.subset(None)


def main():
    answers = {}
    for case in json.load(sys.stdin):
        inventory = InventoryManager(loader=DataLoader(), sources=case["sources"])
        answers[case["id"]] = {
            "patterns": {p: hosts_of(inventory, p) for p in case.get("patterns", [])},
            "limits": [hosts_of(inventory, p, limit) for limit, p in case.get("limits", [])],
        }
    json.dump(answers, sys.stdout)


main()
