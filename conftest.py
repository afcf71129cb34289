# The harness's pytest plugin turns every claim in claims/q??_*.py into a test item.
pytest_plugins = ["harness.plugin"]
