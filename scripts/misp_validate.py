"""Validates a hydrawatch MISP export with PyMISP (scripts/misp-validate.sh runs it in a venv with pinned pymisp).

For the event: PyMISP loads it (MISPEvent().load) and writes it back (to_json). For every object, against the
misp-objects templates PyMISP bundles:
  - MISPObject(name, strict=True) knows the template, and from_dict refuses a different template uuid or version;
  - every attribute's object_relation is in the template, with the template's MISP type;
  - MISPAttribute(strict=True) accepts the attribute's category for its type (describeTypes' category mapping);
  - obj._validate(): the template's required / requiredOneOf attributes, no repeated non-multiple attribute;
  - every ObjectReference's relationship_type is in misp-objects' relationships list, and points at an object of
    the event.
Prints one line per problem and a summary; exit 0 when there is none.
"""
import copy
import json
import os
import sys

import pymisp
from pymisp import MISPAttribute, MISPEvent, MISPObject


def relationships() -> set:
    path = os.path.join(os.path.dirname(pymisp.__file__), 'data', 'misp-objects', 'relationships', 'definition.json')
    with open(path, encoding='utf-8') as f:
        return {v['name'] for v in json.load(f)['values']}


def check_object(raw: dict, uuids: set, rels: set) -> list:
    name = raw.get('name')
    where = f"object {name} {raw.get('uuid')}"
    problems = []
    try:
        obj = MISPObject(name, strict=True)
        definition = obj._definition
        obj.from_dict(**copy.deepcopy(raw))
    except Exception as e:  # unknown template, or another template uuid / version
        return [f'{where}: {type(e).__name__}: {e}']
    for a in raw.get('Attribute', []):
        rel = a.get('object_relation')
        spec = definition['attributes'].get(rel)
        if spec is None:
            problems.append(f'{where}: attribute "{rel}" is not in template {name} v{definition["version"]}')
            continue
        if a.get('type') != spec['misp-attribute']:
            problems.append(f'{where}: attribute "{rel}" has type {a.get("type")}, the template says {spec["misp-attribute"]}')
        try:
            MISPAttribute(strict=True).from_dict(**{k: v for k, v in a.items() if k in ('type', 'category', 'value', 'comment')})
        except Exception as e:
            problems.append(f'{where}: attribute "{rel}": {type(e).__name__}: {e}')
    try:
        obj._validate()
    except Exception as e:
        problems.append(f'{where}: {type(e).__name__}: {e}')
    for r in raw.get('ObjectReference', []):
        if r.get('relationship_type') not in rels:
            problems.append(f'{where}: relationship "{r.get("relationship_type")}" is not in misp-objects relationships')
        if r.get('referenced_uuid') not in uuids:
            problems.append(f'{where}: reference to {r.get("referenced_uuid")}, which is no object of the event')
    return problems


def main(path: str) -> int:
    with open(path, encoding='utf-8') as f:
        raw = json.load(f)
    event = MISPEvent()
    event.load(copy.deepcopy(raw))  # from_dict consumes what it is given
    event.to_json()  # PyMISP writes back what it loaded
    objects = raw['Event'].get('Object', [])
    uuids = {o['uuid'] for o in objects}
    rels = relationships()
    problems = [p for o in objects for p in check_object(o, uuids, rels)]
    names = sorted({o['name'] for o in objects})
    refs = sum(len(o.get('ObjectReference', [])) for o in objects)
    attrs = sum(len(o.get('Attribute', [])) for o in objects)
    for p in problems:
        print(f'MISP: {p}')
    print(f'pymisp {pymisp.__version__}: {len(objects)} objects ({", ".join(names)}), {attrs} attributes, {refs} references, '
          f'{len(problems)} problems; loaded as {len(event.objects)} objects')
    if not objects:
        print('MISP: the export holds no object (nothing was checked)')
        return 1
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
