"""The GradSpec table, one module per op family; tests/test_grad_specs.py runs them all."""
