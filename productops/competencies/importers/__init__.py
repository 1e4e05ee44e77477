"""Each source the competencies app imports, one module per source: past ratings
(`ratings_csv`) and an HR tool's career framework (`career_path_csv`)."""
