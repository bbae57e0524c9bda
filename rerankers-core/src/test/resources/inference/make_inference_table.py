"""Runs the Python rerankers' own Reranker() decision path (rerankers/reranker.py at commit 7bb2521)
on python-names.txt without loading any model, and prints name|lang|type|model|model_type|api_provider.
Usage: put the `rerankers` package source on the path (git archive of AnswerDotAI/rerankers) and run
  python3 make_inference_table.py python-names.txt
type-inference-table.psv is this output with the documented Java corrections applied (last column).
"""
import sys, io, contextlib, warnings, json
sys.path.insert(0, '.')
import rerankers.reranker as R
class Capture(dict):
    def __getitem__(self, k):
        return lambda name, verbose=1, **kw: ("OK", k, name, kw.get("api_provider"))
R.AVAILABLE_RANKERS = Capture()
CLS = {"TransformerRanker":"cross-encoder","T5Ranker":"t5","LiT5Ranker":"lit5","RankGPTRanker":"rankgpt","ColBERTRanker":"colbert",
"FlashRankRanker":"flashrank","RankLLMRanker":"rankllm","LLMLayerWiseRanker":"llm-layerwise","MonoVLMRanker":"monovlm",
"LLMRelevanceFilter":"llm-relevance-filter","UPRRanker":"upr","MxBaiV2Ranker":"mxbaiv2","PyLateRanker":"pylate"}
cases = [l.rstrip("\n").split("|") for l in open(sys.argv[1] if len(sys.argv) > 1 else "python-names.txt") if l.strip() and not l.startswith("#")]
out=[]
for name, lang, mt in cases:
    buf=io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with contextlib.redirect_stdout(buf):
                r = R.Reranker(name, lang=lang or "en", model_type=mt or None)
        except Exception as e:
            r = ("ERR", type(e).__name__, str(e), None)
    if r is None:
        out.append((name, lang, mt, "NONE", "", ""))
    elif r[0]=="ERR":
        out.append((name, lang, mt, "ERROR", r[1], ""))
    else:
        _, cls, model, prov = r
        t = prov if cls=="APIRanker" else CLS.get(cls, cls)
        out.append((name, lang, mt, model, t, prov or ""))
for o in out: print("|".join(o))
