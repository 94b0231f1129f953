from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Tooling, not product: the benchmarks, the load test and the synthetic data generator,
    with their management commands (bench, bench_search, loadtest, generate_synthetic)."""

    name = "ruiraq.devtools"
    label = "ruiraq_devtools"
    verbose_name = "ruiraq developer tools"
