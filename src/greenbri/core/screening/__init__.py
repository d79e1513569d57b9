"""Project environmental risk screening: receptors near a project, classification, GHG, Equator Principles."""
