"""Benchmark of the suggested merges: how well each method recovers labelled groups of paraphrased texts.

    .venv/bin/python bench/clustering.py                       # every labelled set in tests/data/clustering
    .venv/bin/python bench/clustering.py my_set.csv other.csv  # other labelled sets (id,text,group,language)

For each labelled set, each method (``tfidf`` always, ``embeddings`` when a model is installed) clusters the
English texts alone and then all texts (English, French and Spanish mixed), twice: told the true number of
groups (``K known``) and without it (``default``: cut at the method's default distance threshold, as the
synthesis page does). It prints the adjusted Rand index (sklearn.metrics.adjusted_rand_score; 0 is chance,
1 is the labelled grouping), the pairwise F1 (over all pairs of texts: precision and recall of "in the same
cluster") and the time of the clustering (the model's one-off loading is printed apart).

Two baselines are printed beside them, K known only, as issue 14 measured them: ``words+ward`` (scikit-learn's
TfidfVectorizer of the words as they are, Ward agglomerative clustering) and ``minilm+ward`` (all-MiniLM-L6-v2
embeddings of the texts as they are, without the glossary nor centring, Ward).

When more than one embedding model is installed, ``embeddings`` is their combination (what the engine runs)
and each model is also measured alone (``emb:<model>``), to show what each brings.

Goals (issue 14), for the ``embeddings`` method with K known on every set: ARI ≥ 0.7 on English texts and ≥ 0.5
across the three languages; each is marked met or MISSED, and the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, pair_confusion_matrix

from target87.engines import textclusters
from target87.engines.textclusters import vectors

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "clustering"
GOALS = {"en": 0.7, "mixed": 0.5}


def read_set(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def pairwise_f1(truth, found) -> float:
    (_tn, fp), (fn, tp) = pair_confusion_matrix(truth, found)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


@contextlib.contextmanager
def only(model):
    """Run the engine as if ``model`` were the only one installed."""
    saved = vectors.installed_models, vectors.installed_model
    vectors.installed_models, vectors.installed_model = (lambda: [model]), (lambda: model)
    try:
        yield
    finally:
        vectors.installed_models, vectors.installed_model = saved


def measure(rows, method: str, known: bool) -> tuple[float, float, float]:
    texts = [row["text"] for row in rows]
    truth = [row["group"] for row in rows]
    start = time.perf_counter()
    result = textclusters.cluster(texts, method=method, n_clusters=len(set(truth)) if known else None)
    elapsed = time.perf_counter() - start
    if result.method != method:
        raise SystemExit(f"{method} did not run: {result.note}")
    return adjusted_rand_score(truth, result.labels), pairwise_f1(truth, result.labels), elapsed


def baseline(rows, name: str) -> tuple[float, float, float]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [row["text"] for row in rows]
    truth = [row["group"] for row in rows]
    start = time.perf_counter()
    if name == "words+ward":
        matrix = TfidfVectorizer().fit_transform(texts).toarray()
    else:
        loaded = vectors._load(vectors.MODELS[0])
        matrix = loaded.encode(texts, normalize_embeddings=True, show_progress_bar=False)
    labels = AgglomerativeClustering(n_clusters=len(set(truth)), linkage="ward").fit_predict(matrix)
    elapsed = time.perf_counter() - start
    return adjusted_rand_score(truth, labels), pairwise_f1(truth, labels), elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="labelled CSV files (default: tests/data/clustering)")
    args = parser.parse_args(argv)
    paths = args.sets or sorted(DATA.glob("*.csv"))
    methods = textclusters.available_methods()
    models = vectors.installed_models()
    print(
        f"methods: {', '.join(methods)}"
        + (f" (models {vectors.models_name(models)})" if models else " (no model installed)")
    )
    for model in models:
        start = time.perf_counter()
        vectors._load(model)
        print(f"{model.name} loading: {time.perf_counter() - start:.1f} s (once per process)")
    baselines = ["words+ward"] + (["minilm+ward"] if vectors.MODELS[0] in models else [])
    alone = models if len(models) > 1 else []
    missed = False
    for path in paths:
        rows = read_set(path)
        subsets = {"en": [r for r in rows if r.get("language", "en") == "en"], "mixed": rows}
        languages = sorted({r.get("language", "?") for r in rows})
        groups = len({r["group"] for r in rows})
        print(
            f"\n{path.name}: {len(rows)} texts in {groups} groups ({', '.join(languages)}; "
            f"{len(subsets['en'])} in English)"
        )
        print(f"  {'method':<11} {'subset':<6} {'K known: ARI   F1':>18} {'default: ARI   F1':>19} {'time':>8}")
        for name in baselines:
            for subset_name, subset in subsets.items():
                ari_k, f1_k, t_k = baseline(subset, name)
                print(f"  {name:<11} {subset_name:<6} {ari_k:>11.2f} {f1_k:>5.2f} {'—':>14} {'—':>4} {t_k:>7.2f}s")
        for model in alone:
            with only(model):
                for name, subset in subsets.items():
                    ari_k, f1_k, t_k = measure(subset, "embeddings", known=True)
                    ari_a, f1_a, t_a = measure(subset, "embeddings", known=False)
                    label = f"emb:{model.name[:7]}"
                    print(
                        f"  {label:<11} {name:<6} {ari_k:>11.2f} {f1_k:>5.2f} {ari_a:>14.2f} {f1_a:>4.2f}"
                        f" {max(t_k, t_a):>7.2f}s"
                    )
        for method in methods:
            for name, subset in subsets.items():
                ari_k, f1_k, t_k = measure(subset, method, known=True)
                ari_a, f1_a, t_a = measure(subset, method, known=False)
                mark = ""
                if method == "embeddings":
                    met = ari_k >= GOALS[name]
                    missed |= not met
                    mark = f"  goal ARI ≥ {GOALS[name]}: {'met' if met else 'MISSED'}"
                print(
                    f"  {method:<11} {name:<6} {ari_k:>11.2f} {f1_k:>5.2f} {ari_a:>14.2f} {f1_a:>4.2f}"
                    f" {max(t_k, t_a):>7.2f}s{mark}"
                )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
