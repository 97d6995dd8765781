"""Time to first paint and first contentful paint of the main pages in headless
Chromium, read from the browser's own Paint Timing entries. The sign-in page
(the smallest) is the reference measured in the same run.
    python3 scripts/first-paint.py BASE_URL MANIFEST [RUNS]"""
import json
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from browser import new_driver  # noqa: E402

base, manifest = sys.argv[1], json.loads(pathlib.Path(sys.argv[2]).read_text())
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
PAINT_JS = """
const entries = performance.getEntriesByType('paint');
const get = name => (entries.find(e => e.name === name) || {}).startTime;
const nav = performance.getEntriesByType('navigation')[0];
return [get('first-paint'), get('first-contentful-paint'), nav.responseStart - nav.requestStart];
"""


def measure(driver, path):
    paints, contentful, server = [], [], []
    for _ in range(runs):
        driver.get(base + path)
        for _ in range(40):   # paint can be reported a moment after the load event
            fp, fcp, ttfb = driver.execute_script(PAINT_JS)
            if fcp is not None:
                break
            time.sleep(0.05)
        paints.append(fp)
        contentful.append(fcp)
        server.append(ttfb)
    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else float("nan")
    return median(paints), median(contentful), median(server)


driver = new_driver()
try:
    results = {"sign-in (reference)": measure(driver, "/sign-in")}
    for who, session, paths in [("navigator", manifest["navigatorSession"], ["/caseload", "/clients"]),
                                ("partner", manifest["partnerSession"], ["/inbox"])]:
        driver.get(base + "/healthz")
        driver.delete_all_cookies()
        driver.add_cookie({"name": "thaw_session", "value": session, "path": "/"})
        for path in paths:
            results[f"{path} ({who})"] = measure(driver, path)
        if who == "navigator":
            driver.get(base + "/caseload")
            link = driver.find_element("css selector", "table a[href^='/referrals/']").get_attribute("href")
            results["/referrals/:id (navigator)"] = measure(driver, link.replace(base, ""))
finally:
    driver.quit()

reference = results["sign-in (reference)"][1]
print(f"== first paint in headless Chromium, median of {runs} loads per page")
for name, (fp, fcp, ttfb) in results.items():
    print(f"{name:30s} first paint {fp:6.1f} ms   first contentful paint {fcp:6.1f} ms ({fcp / reference:.2f} of sign-in)   response start {ttfb:5.1f} ms")
