"""Lead handoff warehouse: CLI, data generator, loader, Dagster definitions and delivery."""
