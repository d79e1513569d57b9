"""Indicator files (OWID, World Bank, SDMX, OECD, wide by-name and mapped CSV), country reference and the indicator store."""
