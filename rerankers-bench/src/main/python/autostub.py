"""Stub modules for packages pyref lacks (scipy, sklearn) that sentence-transformers and pylate import
at module level but never call on the inference path used here (encode + rank.rerank, pool_factor=1).
Any call into a stub raises, so a stub can never silently change a result."""
import importlib.abc, importlib.machinery, sys, types

STUBBED = ("scipy", "sklearn", "datasets", "ujson", "pandas")

class _Unavailable:
    def __init__(self, name): self._name = name
    def __call__(self, *a, **k): raise RuntimeError(f"stub {self._name} called: not available in pyref")
    def __getattr__(self, item): return _Unavailable(self._name + "." + item)
    def __mro_entries__(self, bases): return (object,)

class _StubModule(types.ModuleType):
    def __getattr__(self, item):
        if item.startswith("__"): raise AttributeError(item)
        return _Unavailable(self.__name__ + "." + item)

class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None
    def create_module(self, spec):
        m = _StubModule(spec.name); m.__path__ = []; return m
    def exec_module(self, module): pass

def install():
    sys.meta_path.insert(0, _Finder())
