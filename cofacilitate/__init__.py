"""cofacilitate: a calm, private workbook for co-production in health research."""

__version__ = "0.1.0"
