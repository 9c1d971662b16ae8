# hdlgen on Debian trixie (Icarus Verilog 12 from apt). Base install: check, lint, verify, eval, filter.
FROM python:3.12-slim-trixie

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iverilog bubblewrap yosys \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/hdlgen
COPY pyproject.toml README.md ./
COPY verilog_sim ./verilog_sim
COPY hdlgen ./hdlgen
COPY data ./data
RUN pip install --no-cache-dir . \
 && hdlgen --help

ENTRYPOINT ["hdlgen"]
CMD ["--help"]
