"""What the reading commands compute and print: plan vs actual, channels, the pipeline."""
