"""The book drift's simulated phone (scripts/bench --scenarios bookdrift).

Built by `drift_reader(...)` from bench/locustfile.py's signed-in user base, account counter
and write counters, so that what it catches is counted with everything else the run
accepted. Each simulated reader works through its own slice of the seeded copy codes, so
every catch is a new journey step.
"""

import re

from locust import task

TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


def drift_reader(base, accounts, accepted, think, in_doubt, manifest):
    drift = manifest.get("bookdrift") or {}
    codes = drift.get("codes", [])
    sessions = drift.get("sessions", [])
    per_reader = max(1, len(codes) // max(1, len(sessions)))

    class DriftReader(base):
        """Scan a label → the copy page → the catch form → catch; and the copy with 500
        steps, anonymous (cached) and signed in (rendered on every request)."""

        weight = 1  # runs on its own (the mixed campaign names its classes)
        wait_time = think()

        def on_start(self):
            self.pool = sessions
            self.accounts = accounts
            self.use(self.accounts.take())

        def use(self, index: int):
            self.take_account(index)
            self.codes = iter(codes[index * per_reader : (index + 1) * per_reader])

        @task
        def scan_and_catch(self):
            long_code = drift["long_code"]
            self.client.get(f"/d/{long_code}", name="drift copy page (500 steps, anonymous)")
            self.client.get(
                f"/d/{long_code}",
                name="drift copy page (500 steps, signed in)",
                headers=self.headers(),
            )
            self.check_stop()
            code = next(self.codes, None)
            if code is None:
                self.use(self.accounts.take())  # this reader caught its share: the next one
                return
            self.client.get(f"/d/{code}", name="drift scan: copy page", headers=self.headers())
            with self.client.get(
                f"/d/{code}/catch",
                name="drift catch form",
                headers=self.headers(),
                catch_response=True,
            ) as response:
                found = TOKEN.search(response.text or "")
                if not found:
                    response.failure(f"no token on the catch form (status {response.status_code})")
                    return
            self.check_stop()
            with self.client.post(
                f"/d/{code}/catch",
                data={"csrfmiddlewaretoken": self.csrf, "token": found.group(1), "note": ""},
                name="drift catch",
                headers=self.headers(),
                allow_redirects=False,
                catch_response=True,
            ) as response:
                in_doubt(response)
                location = response.headers.get("Location", "")
                if response.status_code != 302 or not location.endswith(f"/d/{code}"):
                    response.failure(f"refused (status {response.status_code})")
                    return
                accepted["drift_catches"] += 1

    return DriftReader
