"""Generate a realistic synthetic comment corpus as JSONL for the benchmarks.

Comments are 20-120 words built from sentence patterns of the kinds a hospital blog
receives (questions, personal stories, thanks, condolences, chatter). About 10% carry a
phone number (in many formats, beside decoys: dates, trial ids, ages, prices) and about
10% a link. Deterministic for a given --seed.

    python benchmarks/generate.py --count 20000 --output benchmarks/out/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

CONDITIONS = ["leukemia", "lymphoma", "breast cancer", "CLL", "AML", "myeloma", "melanoma",
              "prostate cancer", "sarcoma", "ovarian cancer", "diabetes", "asthma"]
RELATIVES = ["husband", "wife", "son", "daughter", "mother", "father", "grandson", "aunt",
             "brother", "sister", "best friend"]
TREATMENTS = ["chemo", "radiation", "immunotherapy", "a stem cell transplant", "hormone therapy",
              "the new drug"]
FILLER = ["the weather has been strange", "we drove up to the city last week",
          "my neighbour told me about this article", "I read the whole post twice",
          "the nurses were kind to everyone", "our town has a small clinic",
          "I shared the link with my book club", "it took a while to find this page",
          "the research seems complicated", "we have been following the news closely"]
# Each comment has one main intent (a couple of sentences of it) and everyday talk around
# it, as real comments do; KINDS gives the intents and how often each occurs.
KINDS = {
    "question": (0.25, [
        "Do you have any hope for {cond} patients?",
        "How long will the clinical trials for {cond} take?",
        "Is this treatment being considered for young children with {cond}?",
        "Can this approach work for {cond} as well?",
        "Are there any similar studies planned for {cond}?"]),
    "personal": (0.20, [
        "I was diagnosed with {cond} in {year} and I am on {treat} now.",
        "My {rel} has {cond} and is getting {treat}. Would this therapy help?",
        "Please let me know if there is a trial near Chicago.",
        "I have had {treat} twice and the {cond} came back. What should I do?"]),
    "thanks": (0.25, [
        "Thank you for dedicating your lives to finding a cure.",
        "Great job! Keep up the great research.",
        "Congratulations to the whole team, this is wonderful news.",
        "This is a huge breakthrough for people with {cond}.",
        "It is refreshing to hear good news these days."]),
    "condolence": (0.10, [
        "I lost my {rel} to {cond} in {year}. I miss them every day.",
        "So sorry for your loss, my thoughts are with your family.",
        "My {rel} passed away last spring after a long fight."]),
    "chatter": (0.20, [
        "I hope the study gets the funding it needs.",
        "We are at the beginning of a new era in medicine.",
        "Look up cancer vaccines and follow the progress."]),
}
FILLER = [
    "Honestly the weather has been strange all week.",
    "We drove up to the city last week to see family.",
    "My neighbour told me about this article yesterday.",
    "I read the whole post twice before writing this.",
    "The nurses were kind to everyone in the waiting room.",
    "Our town only has a small clinic and a pharmacy.",
    "I shared the link with my book club and they loved it.",
    "It took a while to find this page on my phone.",
    "The research seems complicated but the article explains it well.",
    "We have been following the news closely since the spring.",
    "Anyway that is my story and I wanted to share it.",
    "Sorry for the long comment, I do not write online much.",
    "My kids helped me set up this account so I could write.",
    "We moved to Florida a few years ago and like it there.",
    "I work nights so I read these articles early in the morning.",
]
NAMES = list(KINDS)
WEIGHTS = [KINDS[k][0] for k in NAMES]
PHONES = ["800-525-2225", "(212) 639-5279", "212.639.5279", "+1 646 555 0199", "1-800-422-6237",
          "917 386 0143", "+44 20 7946 0958", "(718) 220-3456", "646-888-4000", "2126395279"]
DECOYS = ["on oct 27th 2012", "on 2012-10-27", "on 03/27/2011", "in trial 09-036",
          "back in 1992/1993", "at age 27", "for $1,250", "in 2014-2015", "protocol 12-245"]
LINKS = ["http://www.mskcc.org/cancer-care/trial/09-036", "mskcc.org/cancer-care",
         "www.cancer.gov", "https://clinicaltrials.gov/ct2/show/NCT01044069",
         "https://www.nytimes.com/2013/03/21/health/study.html", "www.example.com/page?id=3",
         "http://bit.ly/2xYz9Q", "https://www.facebook.com/groups/cll.support/"]


def make_comment(rng: random.Random, index: int) -> dict[str, object]:
    """One synthetic comment record."""
    target = rng.randint(20, 120)
    kind = rng.choices(NAMES, WEIGHTS)[0]
    pool = KINDS[kind][1]
    fill = dict(cond=rng.choice(CONDITIONS), rel=rng.choice(RELATIVES),
                treat=rng.choice(TREATMENTS), year=rng.randint(1995, 2013))
    sentences = [s.format(**fill) for s in rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))]
    words = " ".join(sentences).split()
    while len(words) < target:
        at = rng.randint(0, len(sentences))
        sentences.insert(at, rng.choice(FILLER))
        words = " ".join(sentences).split()
    roll = rng.random()
    if roll < 0.10:
        words.insert(rng.randint(0, len(words)), f"call {rng.choice(PHONES)}")
        words.insert(rng.randint(0, len(words)), rng.choice(DECOYS))
    elif roll < 0.20:
        words.insert(rng.randint(0, len(words)), f"see {rng.choice(LINKS)} for more.")
    elif roll < 0.30:
        words.insert(rng.randint(0, len(words)), rng.choice(DECOYS))
    text = " ".join(words[: target + 8])
    return {"id": f"bench-{index:07d}", "text": text, "author": f"Reader {index % 997}",
            "post": f"post-{index % 50}", "created_at": f"2013-{1 + index % 12:02d}-15T10:00:00"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=Path("benchmarks/out/corpus.jsonl"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for i in range(args.count):
            out.write(json.dumps(make_comment(rng, i)) + "\n")
    print(f"wrote {args.count} comments to {args.output}")


if __name__ == "__main__":
    main()
