"""Reader pages (first cut; the reader-pages work replaces these with selectors)."""

from django.shortcuts import get_object_or_404, render

from articles.models import Article, Author, Section


def home(request):
    articles = Article.objects.published().select_related("section")[:30]
    return render(request, "articles/home.html", {"articles": articles})


def section(request, section):
    section_obj = get_object_or_404(Section, slug=section)
    articles = (
        Article.objects.published().filter(section=section_obj).select_related("section")[:30]
    )
    return render(request, "articles/section.html", {"section": section_obj, "articles": articles})


def author(request, slug):
    author_obj = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().filter(authors=author_obj).select_related("section")[:30]
    return render(request, "articles/author.html", {"author": author_obj, "articles": articles})


def article_detail(request, section, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("section", "agency"),
        section__slug=section,
        slug=slug,
    )
    return render(request, "articles/article_detail.html", {"article": article})
