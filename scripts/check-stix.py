"""Run by scripts/check-stix.sh: hydrawatch's STIX export and TAXII server checked with the ecosystem's own tools.

    check-stix.py <base URL> <token>

1. GET /api/v1/export/stix: stix2-validator (STIX 2.1) must find 0 errors (warnings are printed, by code); the frame
   bag's extension-definition must be in the bundle; stix2.parse must load it (allow_custom: the x_pdq hash); every
   SCO's id must be the one the stix2 library derives from its properties.
2. taxii2-client: discovery, the API root, every collection read with as_pages (a small page size, so that it pages),
   the manifest paged too, added_after, one object by id; the "all" collection must hold the export's objects.
Exit 0 when every check passes. Synthetic data only (scripts/stix-api.ts).
"""

import json
import sys
from collections import Counter

import requests
import stix2
from stix2validator import ValidationOptions, validate_parsed_json
from taxii2client.v21 import Server, as_pages

PAGE = 7
FAILED = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        FAILED.append(what)


class Bearer(requests.auth.AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, r):
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


def validate(bundle, label):
    results = validate_parsed_json(bundle, ValidationOptions(version="2.1"))
    results = results if isinstance(results, list) else [results]
    errors = [str(e) for r in results for e in (r.errors or [])]
    warnings = [str(w) for r in results for w in (r.warnings or [])]
    codes = Counter(w.split("}")[0].split("{")[-1] if "{" in w else "?" for w in warnings)
    print(f"stix2-validator ({label}): {len(errors)} errors, {len(warnings)} warnings {dict(sorted(codes.items()))}")
    for e in errors[:20]:
        print(f"  error: {e}")
    check(not errors and all(r.is_valid for r in results), f"stix2-validator: {label} is valid STIX 2.1 (0 errors)")
    return len(errors), len(warnings)


def check_sco_ids(objects):
    classes = {"url": stix2.URL, "user-account": stix2.UserAccount, "file": stix2.File}
    wrong = []
    for o in objects:
        cls = classes.get(o["type"])
        if cls is None:
            continue
        derived = cls(allow_custom=True, **{k: v for k, v in o.items() if k != "id"}).id
        if derived != o["id"]:
            wrong.append((o["id"], derived))
    check(not wrong, f"every SCO id is the one stix2 derives ({sum(o['type'] in classes for o in objects)} SCOs) {wrong[:3]}")


def check_export(base, auth):
    r = requests.get(f"{base}/api/v1/export/stix", auth=auth, timeout=60)
    check(r.status_code == 200, f"GET /api/v1/export/stix answers 200 (got {r.status_code})")
    check(r.headers.get("content-type") == "application/stix+json;version=2.1", "the export's media type is application/stix+json;version=2.1")
    bundle = r.json()
    objects = bundle["objects"]
    print(f"export: {len(objects)} objects {dict(sorted(Counter(o['type'] for o in objects).items()))}")
    counts = validate(bundle, "export")
    check(any(o["type"] == "extension-definition" and "frame bag" in o["name"] for o in objects), "the frame bag's extension-definition is in the bundle")
    parsed = stix2.parse(bundle, allow_custom=True)
    check(len(parsed.objects) == len(objects), f"stix2.parse loads the bundle ({len(parsed.objects)} objects)")
    check_sco_ids(objects)
    return objects, counts


def read_collection(collection):
    objects = []
    pages = 0
    for envelope in as_pages(collection.get_objects, per_request=PAGE):
        pages += 1
        objects.extend(envelope.get("objects", []))
    return objects, pages


def check_taxii(base, auth, exported):
    server = Server(f"{base}/taxii2/", auth=auth)
    check(len(server.api_roots) == 1, f"discovery lists one API root: {server.title}")
    root = server.api_roots[0]
    check("application/taxii+json;version=2.1" in root.versions, "the API root speaks TAXII 2.1")
    collections = {c.title: c for c in root.collections}
    check("all" in collections and len(collections) > 1, f"collections: {sorted(collections)}")
    for title, c in sorted(collections.items()):
        objects, pages = read_collection(c)
        print(f"taxii: collection {title}: {len(objects)} objects in {pages} pages of {PAGE}")
        check(len(objects) > 0 and (pages > 1 or len(objects) < PAGE), f"collection {title} read with as_pages")
        if objects:
            validate({"type": "bundle", "id": "bundle--6b1a2d2e-0d3f-4a51-9d4e-1f2a3b4c5d6e", "objects": objects}, f"collection {title}")
    everything, _ = read_collection(collections["all"])
    check({o["id"] for o in everything} == {o["id"] for o in exported}, "the all collection holds exactly the export's objects")
    manifest = [m for env in as_pages(collections["all"].get_manifest, per_request=PAGE) for m in env.get("objects", [])]
    check([m["id"] for m in manifest] == [o["id"] for o in everything], f"the manifest pages list the same objects ({len(manifest)})")
    cut = manifest[len(manifest) // 2]["date_added"]
    later = [o for env in as_pages(collections["all"].get_objects, per_request=PAGE, added_after=cut) for o in env.get("objects", [])]
    expected = [m["id"] for m in manifest if m["date_added"] > cut]
    check([o["id"] for o in later] == expected and 0 < len(later) < len(manifest), f"added_after={cut}: {len(later)} later objects")
    rel = next(m["id"] for m in manifest if m["id"].startswith("relationship--"))
    one = collections["all"].get_object(rel)
    check([o["id"] for o in one.get("objects", [])] == [rel], f"get_object({rel})")


def main():
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    auth = Bearer(token)
    exported, (errors, warnings) = check_export(base, auth)
    check_taxii(base, auth, exported)
    print(f"check-stix: export {errors} validator errors, {warnings} validator warnings; {len(FAILED)} failed checks")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
