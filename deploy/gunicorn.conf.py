"""gunicorn's settings for Phong Trào, read by `phongtrao serve` (docs/deploy.md).

Everything a site changes comes from the environment (deploy/phongtrao.env):
PHONGTRAO_BIND, PHONGTRAO_WEB_WORKERS, PHONGTRAO_WEB_THREADS, PHONGTRAO_WEB_TIMEOUT.
"""

import multiprocessing
import os

wsgi_app = "phongtrao.wsgi:application"
# nginx in front talks to this address; keep it on the loopback unless nginx is elsewhere.
bind = os.environ.get("PHONGTRAO_BIND", "127.0.0.1:8000").split(",")
# Processes, each answering one request at a time (synchronous workers): pages are short
# database reads; two per core plus one keeps the cores busy while others wait on PostgreSQL.
workers = int(os.environ.get("PHONGTRAO_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("PHONGTRAO_WEB_THREADS", "1"))
# A request still running after this is killed and logged; long work (reports) is a job on
# the queue, never a request, so a minute is plenty even for a large import's preview.
timeout = int(os.environ.get("PHONGTRAO_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so slow memory growth never builds up.
max_requests = 2000
max_requests_jitter = 200
# Both logs to standard error: systemd's journal keeps them (journalctl -u phongtrao-web).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Client address (from nginx), request, status, bytes, milliseconds, user agent.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Only nginx on this machine may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("PHONGTRAO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "phongtrao-web"
