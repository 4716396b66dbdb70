"""Performance benchmarks of Bidra at national scale and the data generator they run on."""
