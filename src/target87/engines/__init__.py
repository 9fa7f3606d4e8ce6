"""Pure computations, free of Django: the web, the API, the commands and the benchmarks all call them."""
