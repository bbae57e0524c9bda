# Reference scores for the example-overlap backend, written as the project's parity fixtures are:
# the reference implementation (here a few lines of Python) computes the expected output for fixed
# inputs; the Java test compares within a stated tolerance and prints the measured difference.
# Run: python3 make_fixture.py > expected.json
import json, re

def words(text, case_sensitive, min_len):
    t = text if case_sensitive else text.lower()
    return {w for w in re.split(r"[^\w]+|_", t) if w and len(w) >= min_len}

def score(query, doc, case_sensitive=False, min_len=1):
    q = words(query, case_sensitive, min_len)
    d = words(doc, case_sensitive, min_len)
    return 0.0 if not q else len(q & d) / len(q)

query = "Who built the Eiffel Tower in Paris"
docs = ["The Eiffel Tower was built by Gustave Eiffel's company.",
        "Paris is the capital of France.",
        "the tower in paris",
        "Mount Everest is the highest mountain."]
cases = []
for cs in (False, True):
    for ml in (1, 4):
        cases.append({"caseSensitive": cs, "minWordLength": ml,
                      "scores": [score(query, d, cs, ml) for d in docs]})
print(json.dumps({"query": query, "documents": docs, "cases": cases}, indent=1))
