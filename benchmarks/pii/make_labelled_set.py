#!/usr/bin/env python3
"""Builds the labelled PII evaluation set used by PiiLabelledSetTest.

Real sentences come from samples/web-sample (DCLM human-quality Common Crawl documents and the OLMo
C4 samples). Into most of them we plant one synthetic but valid PII value (Luhn-valid card numbers, mod-97-valid
IBANs, SSA-valid SSNs, documentation and realistic IP addresses, example.* emails, fictional phone numbers) or one
hard negative (a value that looks like PII and is not), recording the exact character span. Some real sentences
are kept untouched; their labels (normally none) were reviewed by hand, see REAL_LABELS.

Deterministic: fixed seed, sorted inputs. Python 3 standard library only.
Usage: python3 benchmarks/pii/make_labelled_set.py [data_dir] [output]
"""
import gzip
import json
import random
import re
import sys
from collections import Counter

DATA = sys.argv[1] if len(sys.argv) > 1 else "samples/web-sample"
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else "filtering/src/test/resources/pii/labelled.jsonl"
SOURCES = [
    "dclm-human-quality/majority_data.jsonl.gz",
    "olmo-c4/c4-sample.01.json.gz",
    "olmo-c4/c4-sample.02.json.gz",
    "olmo-c4/c4-sample.03.json.gz",
    "olmo-c4/c4_100_domains_5_www.theguardian.com_00000000.jsonl.gz",
]
POSITIVES_PER_KIND = 40
NEGATIVES_PER_TYPE = 13
UNTOUCHED = 70
SEED = 20260301

# Anything that could be real PII (or a look-alike we would have to label) keeps a sentence out of the hosts.
RISKY = re.compile(r"@|https?:|www\.|\d[\d ().:/+-]{5,}\d|\+\d")

# Every real sentence that RISKY catches is kept untouched and was labelled by hand: these are the real
# look-alikes (dates, seasons, CVE ids, versions, handles, URLs) and the real PII the web sample holds. Each
# (kind, value) below is labelled wherever the value occurs in an untouched sentence. Phone numbers are
# labelled as phone numbers even where the detector is not expected to find them (seven-digit local numbers,
# national formats, a letter vanity number), so recall on real text is measured honestly. Twitter handles
# and URLs are not kinds this detector covers and are left unlabelled.
REAL_LABELS = [
    ("EMAIL", "austin.meek@cjonline.com"), ("EMAIL", "healthylifestylecenter7@gmail.com"),
    ("EMAIL", "tera@digitalplayground.com"), ("EMAIL", "moswell@rulmail.rutgers.edu"),
    ("PHONE", "888-459-0005"), ("PHONE", "541-499-8862"), ("PHONE", "1-866-9-4EDGAR"), ("PHONE", "1-866-943-3427"),
    ("PHONE", "870-5551"), ("PHONE", "541-734-8581"), ("PHONE", "262-6298"), ("PHONE", "07956 907 029"),
    ("PHONE", "503-352-3690"), ("PHONE", "+32 (0)2 720 53 51"), ("PHONE", "(931) 380-2721"),
    ("PHONE", "0871 527 8800"), ("PHONE", "512-984-4641"), ("PHONE", "131 848"),
]


def real_labels(text):
    spans = []
    for kind, value in REAL_LABELS:
        start = text.find(value)
        while start >= 0:
            spans.append({"kind": kind, "start": start, "end": start + len(value)})
            start = text.find(value, start + 1)
    return sorted(spans, key=lambda span: span["start"])


def sentences():
    out = []
    for source in SOURCES:
        with gzip.open(f"{DATA}/{source}", "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                text = json.loads(line)["text"]
                for part in re.split(r"(?<=[.!?])\s+|\n+", text):
                    part = part.strip()
                    if 50 <= len(part) <= 220 and part.isascii() and part[0].isupper() and part[-1] in ".!?":
                        out.append((part, f"{source}#{number}"))
    return out


# --- positives -------------------------------------------------------------------------------------------------

def luhn_complete(prefix, length, rng):
    digits = [int(c) for c in prefix] + [rng.randrange(10) for _ in range(length - len(prefix) - 1)]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def luhn_ok(number):
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def card(rng):
    brand = rng.choice(["visa", "visa", "mastercard", "mastercard2", "amex", "discover", "jcb", "diners"])
    if brand == "amex":
        number = luhn_complete(rng.choice(["34", "37"]), 15, rng)
        style = rng.choice([" ", "-", ""])
        return style.join([number[:4], number[4:10], number[10:]]) if style else number
    prefix = {"visa": "4", "mastercard": str(rng.randint(51, 55)), "mastercard2": str(rng.randint(2221, 2720)),
              "discover": "6011", "jcb": str(rng.randint(3528, 3589)), "diners": "36"}[brand]
    length = 14 if brand == "diners" else 16
    number = luhn_complete(prefix, length, rng)
    if brand == "diners":
        style = rng.choice([" ", ""])
        return f"{number[:4]} {number[4:10]} {number[10:]}" if style else number
    style = rng.choice([" ", " ", "-", ""])
    return style.join(number[i:i + 4] for i in range(0, 16, 4)) if style else number


IBAN_FORMATS = {  # country: BBAN made of (count, alphabet) runs
    "DE": [(18, "d")], "GB": [(4, "A"), (14, "d")], "FR": [(10, "d"), (11, "X"), (2, "d")],
    "ES": [(20, "d")], "NL": [(4, "A"), (10, "d")], "IT": [(1, "A"), (10, "d"), (12, "X")],
    "BE": [(12, "d")], "CH": [(17, "d")], "AT": [(16, "d")], "PL": [(24, "d")], "IE": [(4, "A"), (14, "d")],
}


def mod97(text):
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97


def iban(rng, valid=True):
    country = rng.choice(sorted(IBAN_FORMATS))
    alphabets = {"d": "0123456789", "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "X": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    bban = "".join(rng.choice(alphabets[kind]) for count, kind in IBAN_FORMATS[country] for _ in range(count))
    check = 98 - mod97(country + "00" + bban)
    if not valid:
        # Any other check digits in 02..98 fail mod 97: they differ from the right ones by less than 97.
        check = rng.choice([digits for digits in range(2, 99) if digits != check])
    compact = f"{country}{check:02d}{bban}"
    if rng.random() < 0.6:
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return compact


def ssn(rng):
    area = rng.choice([a for a in range(1, 900) if a != 666])
    separator = "-" if rng.random() < 0.8 else " "
    return f"{area:03d}{separator}{rng.randint(1, 99):02d}{separator}{rng.randint(1, 9999):04d}"


def ipv4(rng):
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(["192.0.2", "198.51.100", "203.0.113"]) + f".{rng.randint(1, 254)}"
    if roll < 0.6:
        return rng.choice([f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                           f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                           f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])
    return ".".join(str(rng.randint(1, 223) if i == 0 else rng.randint(0, 255)) for i in range(4))


def ipv6(rng):
    groups = [f"{rng.randrange(65536):x}" for _ in range(6)]
    roll = rng.random()
    if roll < 0.25:
        return ":".join(["2001", "0db8"] + [f"{rng.randrange(65536):04x}" for _ in range(6)])
    if roll < 0.5:
        return "2001:db8::" + ":".join(groups[:rng.randint(1, 4)])
    if roll < 0.65:
        return "fe80::" + ":".join(groups[:4])
    if roll < 0.8:
        return f"::ffff:192.0.2.{rng.randint(1, 254)}"
    return ":".join(["2001", "db8"] + groups[:2]) + "::" + groups[2]


FIRST = ["alice", "bob", "j.smith", "maria.garcia", "li.wei", "omar", "priya.k", "tom_b", "n.mueller", "sara"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.co.uk", "test.example.de", "example.edu"]


def email(rng):
    local = rng.choice(FIRST)
    if rng.random() < 0.3:
        local += str(rng.randint(1, 99))
    if rng.random() < 0.15:
        local += "+news"
    return f"{local}@{rng.choice(DOMAINS)}"


def phone(rng):
    area, exchange = rng.randint(201, 989), rng.choice([555, rng.randint(200, 999)])
    line = f"{rng.randint(100, 199) if exchange == 555 else rng.randint(0, 9999):04d}"
    return rng.choice([
        f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
        f"+1 {area} {exchange} {line}", f"+1-{area}-{exchange}-{line}",
        f"+44 20 7946 {rng.randint(0, 999):04d}", f"+44 161 496 {rng.randint(0, 999):04d}",
        f"+49 30 {rng.randint(1000000, 9999999)}", f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}", f"+61 2 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
    ])


POSITIVES = {
    "EMAIL": (email, ["Contact me at {} for details.", "Email {}, please.", "Send it to {}.", "({}).", "Reply to {} today."]),
    "PHONE": (phone, ["Call {} for details.", "Phone: {}.", "Reach us at {} any time.", "Tel. {}"]),
    "IPV4": (ipv4, ["The server at {} was down.", "Login from {} blocked.", "Ping {}.", "Host {}:8080 refused."]),
    "IPV6": (ipv6, ["The server at {} was down.", "Login from {} blocked.", "Address {} assigned.", "Route [{}]:443."]),
    "CREDIT_CARD": (card, ["Card number {} was charged.", "Pay with {} today.", "My card: {}.", "Visa {} expires soon."]),
    "IBAN": (iban, ["IBAN: {}.", "Transfer to {} by Friday.", "Account {} (EUR).", "Bank details: {}"]),
    "US_SSN": (ssn, ["SSN {} on file.", "Social security number: {}.", "My SSN is {}, thanks.", "SSN: {}"]),
}


# --- hard negatives ----------------------------------------------------------------------------------------------

def isbn13(rng):
    body = rng.choice(["978", "979"]) + "".join(str(rng.randrange(10)) for _ in range(9))
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    number = body + str(check)
    return f"{number[:3]}-{number[3]}-{number[4:6]}-{number[6:12]}-{number[12]}"


def luhn_invalid_card(rng):
    number = card(rng)
    last = number[-1]
    return number[:-1] + str((int(last) + rng.randint(1, 9)) % 10)


def invalid_ssn(rng):
    return rng.choice([f"666-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                       f"000-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                       f"{rng.randint(900, 999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                       f"{rng.randint(100, 665)}-00-{rng.randint(1000, 9999)}",
                       f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-0000"])


NEGATIVES = {
    "version": (lambda r: rng_pick(r, [f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(1, 9)}",
                                       f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}.{r.randint(0, 99)}",
                                       f"version {r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}",
                                       f"10.0.{r.randint(10000, 22000)}.{r.randint(100, 2000)}"]),
                ["Upgrade to {} first.", "Tested with {}.", "Release {} fixes it."]),
    "date": (lambda r: rng_pick(r, [f"{r.randint(1990, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                                    f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(1990, 2025)}",
                                    f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(1990, 2025)}",
                                    f"{r.randint(1990, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}"]),
             ["Posted on {}.", "Deadline: {}.", "Updated {} by the editor."]),
    "price": (lambda r: rng_pick(r, [f"${r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(0, 99):02d}",
                                     f"EUR {r.randint(1, 9)}.{r.randint(100, 999)},{r.randint(0, 99):02d}",
                                     f"${r.randint(100, 999)}-${r.randint(1000, 1999)}",
                                     f"USD {r.randint(1, 99)},{r.randint(100, 999)},{r.randint(100, 999)}.00"]),
              ["It costs {} now.", "Prices range {} per unit.", "Budget: {}."]),
    "isbn": (isbn13, ["ISBN {}.", "See ISBN-13 {} for the print edition.", "({} paperback)."]),
    "time": (lambda r: rng_pick(r, [f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
                                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
                                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(100, 999)}",
                                    f"{r.randint(0, 9)}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"]),
             ["The race started at {}.", "Lap time {} was a record.", "Logged at {} UTC."]),
    "order_number": (lambda r: rng_pick(r, [f"#{r.randint(100, 999)}-{r.randint(1000000, 9999999)}-{r.randint(1000000, 9999999)}",
                                            f"ORD-{r.randint(2015, 2025)}-{r.randint(100000, 999999)}",
                                            f"{r.randint(10000, 99999)}-{r.randint(100, 999)}-{r.randint(10, 99)}",
                                            f"{r.randint(1, 9)}{r.randint(10**13, 10**14 - 1)}"]),
                     ["Order {} has shipped.", "Your tracking code is {}.", "Invoice {} attached."]),
    "coordinates": (lambda r: rng_pick(r, [f"{r.uniform(-80, 80):.4f}, {r.uniform(-170, 170):.4f}",
                                           f"{r.randint(0, 89)}.{r.randint(1000, 9999)} N {r.randint(0, 179)}.{r.randint(1000, 9999)} W",
                                           f"({r.uniform(-80, 80):.6f},{r.uniform(-170, 170):.6f})"]),
                    ["The site lies at {}.", "GPS: {}.", "Coordinates {} mark the spot."]),
    "luhn_invalid_card": (luhn_invalid_card, ["Card number {} was declined.", "Test number {} fails."]),
    "bad_iban_checksum": (lambda r: iban(r, valid=False), ["IBAN: {}.", "Account {} (EUR)."]),
    "invalid_ssn": (invalid_ssn, ["SSN {} on file.", "Number {} is not issued."]),
    "invalid_ip": (lambda r: rng_pick(r, [f"{r.randint(256, 999)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(0, 255)}",
                                          f"{r.randint(1, 255)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(256, 999)}",
                                          f"{r.randint(1, 9)}.{r.randint(1, 9)}.{r.randint(1, 9)}"]),
                   ["Section {} covers this.", "Figure {} shows it."]),
    "plain_long_number": (lambda r: str(r.randint(2002000000, 9899999999)) if r.random() < 0.5 else str(r.randint(10**8, 10**9 - 1)),
                          ["Population {} in total.", "Reference {} applies.", "It has {} views."]),
    "mac_address": (lambda r: ":".join(f"{r.randrange(256):02X}" for _ in range(6)), ["Device {} joined.", "MAC {} filtered."]),
    "not_email": (lambda r: rng_pick(r, [f"@{r.choice(FIRST).replace('.', '_')}", f"{r.choice(FIRST).split('.')[0]} at example dot com",
                                         f"user@localhost", f"{r.choice(FIRST)}@{r.choice(['home', 'work'])}"]),
                  ["Follow {} for news.", "Write to {} instead."]),
    "score_or_range": (lambda r: rng_pick(r, [f"{r.randint(0, 9)}-{r.randint(0, 9)}", f"pages {r.randint(100, 400)}-{r.randint(401, 900)}",
                                              f"{r.randint(100, 999)}-{r.randint(100, 999)}"]),
                       ["The final score was {}.", "See {} in the appendix."]),
}


def rng_pick(rng, options):
    return rng.choice(options)


def plant(host, template, value, rng):
    """Inserts the filled template at a sentence boundary of the host; returns text and the value's span."""
    phrase = template.format(value)
    if rng.random() < 0.5:
        prefix, suffix = host + " ", ""
    else:
        prefix, suffix = "", " " + host
    text = prefix + phrase + suffix
    start = len(prefix) + template.index("{}")
    return text, start, start + len(value)


def main():
    rng = random.Random(SEED)
    pool = sentences()
    hosts = sorted({s for s in pool if not RISKY.search(s[0])})
    rng.shuffle(hosts)
    records = []
    used = 0

    def next_host():
        nonlocal used
        used += 1
        return hosts[used - 1]

    for kind, (make, templates) in POSITIVES.items():
        for number in range(POSITIVES_PER_KIND):
            host, source = next_host()
            value = make(rng)
            text, start, end = plant(host, rng.choice(templates), value, rng)
            records.append({"text": text, "spans": [{"kind": kind, "start": start, "end": end}],
                            "source": source, "planted": "positive:" + kind})
    for negative, (make, templates) in NEGATIVES.items():
        for number in range(NEGATIVES_PER_TYPE):
            host, source = next_host()
            value = make(rng)
            if negative == "luhn_invalid_card" and luhn_ok(value.replace(" ", "").replace("-", "")):
                value = value[:-1] + str((int(value[-1]) + 1) % 10)
            text, start, end = plant(host, rng.choice(templates), value, rng)
            records.append({"text": text, "spans": [], "source": source, "planted": "negative:" + negative})
    # Two PII values in one text, to check ordering and that both are found.
    for number in range(20):
        host, source = next_host()
        first, second = rng.sample(sorted(POSITIVES), 2)
        value_one, value_two = POSITIVES[first][0](rng), POSITIVES[second][0](rng)
        text = f"{host} Details: {value_one} and {value_two}."
        start_one = len(host) + len(" Details: ")
        start_two = start_one + len(value_one) + len(" and ")
        records.append({"text": text, "source": source, "planted": "positive:pair",
                        "spans": [{"kind": first, "start": start_one, "end": start_one + len(value_one)},
                                  {"kind": second, "start": start_two, "end": start_two + len(value_two)}]})
    # Untouched real sentences: every risky one (real look-alikes and real PII, labelled by review) and a sample
    # of the rest, half of them with digits (counts, years, prices).
    risky = sorted({s for s in pool if RISKY.search(s[0])})
    remaining = hosts[used:]
    with_digits = [s for s in remaining if re.search(r"\d", s[0])][:UNTOUCHED // 2]
    without = [s for s in remaining if not re.search(r"\d", s[0])][:UNTOUCHED - len(with_digits)]
    for text, source in risky:
        records.append({"text": text, "spans": real_labels(text), "source": source, "planted": "untouched:risky"})
    for text, source in with_digits + without:
        records.append({"text": text, "spans": real_labels(text), "source": source, "planted": "untouched:plain"})
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        for index, record in enumerate(records):
            record = {"id": f"pii-{index:04d}", **record}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts = Counter(r["planted"] for r in records)
    kinds = Counter(span["kind"] for r in records for span in r["spans"])
    print(json.dumps({"records": len(records), "by_type": dict(sorted(counts.items())),
                      "spans_by_kind": dict(sorted(kinds.items()))}))


if __name__ == "__main__":
    main()
