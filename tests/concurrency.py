"""Running code at the same moment in real threads, against the suite's real database."""

import threading

from django.db import connection


def at_once(functions) -> list:
    """Runs `functions` in threads released together; their results or exceptions, in the
    order they finished. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(functions))
    results = []

    def run(function):
        barrier.wait()
        try:
            results.append(function())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
