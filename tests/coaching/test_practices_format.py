"""Library files with mistakes: every problem is reported at once, naming file, line and path."""

from __future__ import annotations

from django.test import SimpleTestCase

from productops.coaching.practices import (
    InvalidLibrary,
    check_library_files,
    parse_library_text,
)

GOOD = """\
practices:
  discovery:
    - title: Run one customer interview a week with your trio
      description: Bring the designer and the tech lead, and share the notes the same day.
      kind: on_the_job
      effort: medium
    - title: Read about interviewing without leading the customer
      description: Try one technique in your next conversation.
      kind: reading
      effort: low
"""


def problems(text: str, filename: str = "mine.yaml") -> list[str]:
    practices, errors = parse_library_text(text, filename=filename)
    if errors:
        assert practices == [], "a file with problems gives no practices"
    return [str(error) for error in errors]


class GoodFile(SimpleTestCase):
    def test_a_good_file_gives_its_practices_with_their_lines(self) -> None:
        practices, errors = parse_library_text(GOOD, filename="mine.yaml")
        self.assertEqual(errors, [])
        self.assertEqual(
            [(p.competency_key, p.kind, p.effort, p.line) for p in practices],
            [("discovery", "on_the_job", "medium", 3), ("discovery", "reading", "low", 7)],
        )
        self.assertEqual(practices[0].source, "mine.yaml")


class FileProblems(SimpleTestCase):
    def test_a_competency_no_built_in_model_has_is_an_error_with_a_suggestion(self) -> None:
        text = GOOD.replace("  discovery:", "  discovry:")
        self.assertEqual(
            problems(text),
            [
                "mine.yaml: line 2: practices.discovry: No competency model has the competency "
                "“discovry”; did you mean discovery?"
            ],
        )

    def test_keys_are_checked_against_the_given_models(self) -> None:
        _practices, errors = parse_library_text(GOOD, competency_keys={"delivery"})
        self.assertEqual([error.path for error in errors], ["practices.discovery"])

    def test_a_missing_field_names_its_path_and_line(self) -> None:
        text = GOOD.replace("      effort: low\n", "")
        self.assertEqual(
            problems(text),
            ["mine.yaml: line 7: practices.discovery[1].effort: required, but missing"],
        )

    def test_a_bad_kind_and_a_bad_effort_are_both_reported(self) -> None:
        text = GOOD.replace("kind: reading", "kind: book").replace("effort: medium", "effort: huge")
        found = problems(text)
        self.assertEqual(len(found), 2)
        self.assertIn("line 6: practices.discovery[0].effort: “huge” is not an effort", found[0])
        self.assertIn("low, medium, high", found[0])
        self.assertIn(
            "line 9: practices.discovery[1].kind: “book” is not a kind of practice", found[1]
        )
        self.assertIn("on_the_job, shadowing, reading, course, mentoring", found[1])

    def test_a_misspelt_field_is_an_error_not_silently_dropped(self) -> None:
        text = GOOD.replace("      description: Try one", "      descripton: Try one")
        found = problems(text)
        self.assertIn(
            "mine.yaml: line 8: practices.discovery[1].descripton: unknown field; "
            "did you mean description?",
            found,
        )
        self.assertIn(
            "mine.yaml: line 7: practices.discovery[1].description: required, but missing", found
        )

    def test_the_same_title_twice_for_one_competency_is_an_error(self) -> None:
        text = GOOD.replace(
            "Read about interviewing without leading the customer",
            "run one customer interview a week  with your trio",
        )
        self.assertEqual(
            problems(text),
            [
                "mine.yaml: line 7: practices.discovery[1].title: practices.discovery[0] has the "
                "same title; each practice of a competency needs its own"
            ],
        )

    def test_the_same_title_under_two_competencies_is_fine(self) -> None:
        text = GOOD + GOOD.split("\n", 1)[1].replace("  discovery:", "  delivery:")
        self.assertEqual(problems(text), [])

    def test_the_same_title_in_two_files_is_an_error_naming_both(self) -> None:
        _practices, errors = check_library_files([("a.yaml", GOOD), ("b.yaml", GOOD)])
        self.assertEqual(len(errors), 2)
        self.assertEqual(errors[0].source, "b.yaml")
        self.assertIn("also a practice of discovery in a.yaml (line 3)", errors[0].reason)

    def test_wrong_shapes_get_sentences(self) -> None:
        self.assertEqual(problems(""), ["mine.yaml: the file is empty"])
        self.assertEqual(
            problems("- just a list\n"),
            ["mine.yaml: line 1: the file should be a mapping with practices"],
        )
        self.assertEqual(
            problems("practices: []\n"),
            [
                "mine.yaml: line 1: practices: should map competency keys to lists of "
                "practices, like discovery: [...]"
            ],
        )
        self.assertEqual(
            problems("practices:\n  discovery: Run interviews\n"),
            [
                "mine.yaml: line 2: practices.discovery: should be a list of practices, each "
                "with title, description, kind"
            ],
        )
        self.assertEqual(
            problems("practices:\n  discovery:\n    - 42\n"),
            [
                "mine.yaml: line 3: practices.discovery[0]: practices.discovery[0] should be a "
                "mapping with title, description, kind, effort"
            ],
        )
        self.assertIn("unknown field", problems("practice:\n  discovery: []\n")[0])

    def test_numbers_and_empty_text_are_refused(self) -> None:
        text = GOOD.replace("title: Run one customer interview a week with your trio", "title: 42")
        text = text.replace(
            "description: Try one technique in your next conversation.", 'description: "  "'
        )
        self.assertEqual(
            problems(text),
            [
                "mine.yaml: line 3: practices.discovery[0].title: expected text; put it in quotes",
                "mine.yaml: line 8: practices.discovery[1].description: is empty",
            ],
        )

    def test_a_title_too_long_for_the_database_is_an_error(self) -> None:
        text = GOOD.replace("with your trio", "with your trio " + "and more " * 30)
        self.assertIn("at most 200 fit", problems(text)[0])

    def test_yaml_syntax_errors_name_the_line(self) -> None:
        found = problems("practices:\n  discovery:\n    - title: [unclosed\n")
        self.assertEqual(len(found), 1)
        self.assertIn("not valid YAML", found[0])
        self.assertIn("line", found[0])

    def test_every_problem_in_a_file_is_reported_at_once(self) -> None:
        text = (
            GOOD.replace("kind: reading", "kind: book")
            .replace("effort: medium", "effort: huge")
            .replace("  discovery:", "  nope:")
        )
        self.assertEqual(len(problems(text)), 3)


class InvalidLibraryMessage(SimpleTestCase):
    def test_the_exception_summarizes_the_first_problems(self) -> None:
        _practices, errors = check_library_files(
            [("a.yaml", GOOD.replace("kind: reading", "kind: x"))]
        )
        error = InvalidLibrary(errors)
        self.assertIn("1 problem(s) in the practice library: a.yaml: line 9", str(error))
