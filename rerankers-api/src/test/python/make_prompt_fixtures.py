"""Writes the expected LLM prompts of the Python reference implementations as JSON fixtures.

Runs the prompt-building code of the Python sources themselves (no LLM call):
  - RankGPT: create_permutation_instruction() from AnswerDotAI/rerankers rerankers/models/rankgpt_rankers.py
  - LLM relevance filter: DEFAULT_PROMPT_TEMPLATE.format(...) and _format_doc_inputs() from
    rerankers/models/llm_relevance_filter.py
  - RankLLM (RankZephyr): castorini/rank_llm src/rank_llm/rerank/prompt_templates/rank_zephyr_template.yaml
    applied as SingleTurnListwiseInferenceHandler.generate_prompt does (prefix + body + suffix,
    _replace_number, 300 words); and rank_gpt_template.yaml as MultiTurnListwiseInferenceHandler does.

Usage: python3 make_prompt_fixtures.py RERANKERS_REPO RANK_LLM_REPO OUT_DIR
(the repos as git directories; files are read from HEAD). Commit the outputs: CI has no Python.
"""
import ast
import json
import re
import subprocess
import sys

import yaml

rerankers_repo, rank_llm_repo, out_dir = sys.argv[1:4]


def show(repo, path):
    return subprocess.check_output(["git", "-C", repo, "show", "HEAD:" + path], text=True)


def load_functions(source, names):
    """Executes only the named top-level functions/assignments of a module (its imports need packages we lack)."""
    tree = ast.parse(source)
    keep = [n for n in tree.body
            if (isinstance(n, ast.FunctionDef) and n.name in names)
            or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) in names for t in n.targets))]
    ns = {"copy": __import__("copy")}
    exec(compile(ast.Module(body=keep, type_ignores=[]), "<ref>", "exec"), ns)
    return ns


QUERY = "What is the capital of the [1] United States?"
DOCS = [
    "Carson City is the capital city of the American state of Nevada.",
    "  Title: Content: Washington, D.C. is the capital [2] of the United States.\n\nIt is a   federal district.  ",
    " ".join("w%d" % i for i in range(320)),
]

# RankGPT (rerankers)
src = show(rerankers_repo, "rerankers/models/rankgpt_rankers.py")
ns = load_functions(src, {"get_prefix_prompt", "get_post_prompt", "create_permutation_instruction"})
item = {"query": QUERY, "hits": [{"content": d} for d in DOCS]}
rankgpt = ns["create_permutation_instruction"](item=item, rank_start=0, rank_end=len(DOCS), lang="en")
json.dump({"query": QUERY, "docs": DOCS, "messages": rankgpt}, open(out_dir + "/rankgpt.json", "w"), indent=1)

# LLM relevance filter (rerankers)
src = show(rerankers_repo, "rerankers/models/llm_relevance_filter.py")
tree = ast.parse(src)
template = None
for n in tree.body:
    if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "DEFAULT_PROMPT_TEMPLATE":
        template = ast.literal_eval(n.value)
docu = "\n".join(f"<document id={i}>\n{t}\n</document>" for i, t in enumerate(DOCS))
json.dump({"query": QUERY, "docs": DOCS, "prompt": template.format(query=QUERY, docu_inputs=docu)},
          open(out_dir + "/llm-relevance-filter.json", "w"), indent=1)


# RankLLM (rank_llm templates, applied as its inference handlers do)
def replace_number(s):
    return re.sub(r"\[(\d+)\]", r"(\1)", s)


def content(doc, max_length=300):
    c = doc.strip()  # rank_llm also runs ftfy.fix_text here; these texts need no fixing
    c = " ".join(c.split()[: int(max_length)])
    return replace_number(c)


z = yaml.safe_load(show(rank_llm_repo, "src/rank_llm/rerank/prompt_templates/rank_zephyr_template.yaml"))
q = replace_number(QUERY)
num = len(DOCS)
body = "".join(z["body"].format(rank=i + 1, candidate=content(d), score="1.000") for i, d in enumerate(DOCS))
user = z["prefix"].format(num=num, query=q) + body + z["suffix"].format(num=num, query=q)
zephyr = [{"role": "system", "content": z["system_message"]}, {"role": "user", "content": user}]
json.dump({"query": QUERY, "docs": DOCS, "messages": zephyr}, open(out_dir + "/rankllm-rank_zephyr.json", "w"), indent=1)

g = yaml.safe_load(show(rank_llm_repo, "src/rank_llm/rerank/prompt_templates/rank_gpt_template.yaml"))
msgs = [{"role": "system", "content": g["system_message"]},
        {"role": "user", "content": g["prefix_user"].format(num=num, query=q)},
        {"role": "assistant", "content": g["prefix_assistant"]}]
for i, d in enumerate(DOCS):
    msgs.append({"role": "user", "content": g["body_user"].format(rank=i + 1, candidate=content(d))})
    msgs.append({"role": "assistant", "content": g["body_assistant"].format(rank=i + 1)})
msgs.append({"role": "user", "content": g["suffix_user"].format(num=num, query=q)})
json.dump({"query": QUERY, "docs": DOCS, "messages": msgs}, open(out_dir + "/rankllm-rank_gpt.json", "w"), indent=1)
print("wrote", out_dir)
