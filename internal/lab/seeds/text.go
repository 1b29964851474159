package seeds

import "github.com/imagelab/imagelab/internal/i18n"

// templates maps each language to its seed text. The command's default is
// Russian, the language the course is taught in.
var templates = map[i18n.Lang]string{
	i18n.Russian: russian,
	i18n.English: english,
}

const russian = `# Лабораторная работа: образ, готовый к продакшену

Логин: ` + "`{{.Login}}`" + `
Токен: ` + "`{{.Token}}`" + `
Ожидаемый образ: ` + "`{{.Image}}`" + `

Токен личный: не показывайте его другим студентам. Проверяющий сравнит его
с меткой образа, и чужой токен будет сразу виден.

## Задание

Соберите образ сервиса так, чтобы он прошёл все пункты проверки:

1. Размер образа не больше {{.MaxSizeMB}} МБ.
2. Процесс запускается от непривилегированного пользователя, а не от root
   (инструкция ` + "`USER`" + ` с числовым UID).
3. Инструкция ` + "`HEALTHCHECK`" + ` опрашивает ` + "`{{.HealthPath}}`" + `, и образ становится healthy.
4. По сигналу SIGTERM сервис завершает начатые запросы и выходит сам с кодом 0,
   не дожидаясь SIGKILL.
5. Сервис работает с корневой файловой системой только для чтения
   (` + "`docker run --read-only`" + `).
6. Настройки берутся из переменных окружения: ответ на ` + "`/`" + ` меняется
   вместе с ` + "`{{.EnvName}}`" + ` (например, ` + "`{{index .EnvValues 0}}`" + ` и ` + "`{{index .EnvValues 1}}`" + `).
7. У образа есть метки ` + "`{{.LoginLabel}}`" + ` и ` + "`{{.TokenLabel}}`" + ` с вашим логином и токеном.
8. Dockerfile многоэтапный: сборка идёт на одном этапе, в итоговый образ
   копируется только результат.

Метки задаются через аргументы сборки. Объявите их на финальном этапе,
после последнего ` + "`FROM`" + `, иначе значения окажутся пустыми:

` + "```dockerfile" + `
ARG LAB_LOGIN
ARG LAB_TOKEN
LABEL {{.LoginLabel}}="${LAB_LOGIN}" {{.TokenLabel}}="${LAB_TOKEN}"
` + "```" + `

## Сборка

` + "```sh" + `
docker build \
  --build-arg LAB_LOGIN={{.Login}} \
  --build-arg LAB_TOKEN={{.Token}} \
  -t {{.Image}} .
` + "```" + `

Тег образа — первые 8 символов токена: ` + "`{{.Tag}}`" + `. Образ с другим тегом
проверку не пройдёт.

## Самопроверка

` + "```sh" + `
imagelab check --dockerfile Dockerfile \
  --login {{.Login}} --token {{.Token}} \
  {{.Image}}
` + "```" + `
`

const english = `# Lab: a production-ready image

Login: ` + "`{{.Login}}`" + `
Token: ` + "`{{.Token}}`" + `
Expected image: ` + "`{{.Image}}`" + `

The token is yours alone: do not share it with other students. The grader
compares it with your image's label, and another student's token shows.

## Task

Build the service's image so that it passes every item of the checklist:

1. The image is at most {{.MaxSizeMB}} MB.
2. The process runs as an unprivileged user, not root (a ` + "`USER`" + `
   instruction with a numeric UID).
3. A ` + "`HEALTHCHECK`" + ` instruction probes ` + "`{{.HealthPath}}`" + `, and the container turns healthy.
4. On SIGTERM the service finishes the requests in progress and exits by
   itself with status 0, without waiting for SIGKILL.
5. The service runs with a read-only root filesystem (` + "`docker run --read-only`" + `).
6. Its settings come from environment variables: the answer of ` + "`/`" + ` changes
   with ` + "`{{.EnvName}}`" + ` (for example ` + "`{{index .EnvValues 0}}`" + ` and ` + "`{{index .EnvValues 1}}`" + `).
7. The image carries the labels ` + "`{{.LoginLabel}}`" + ` and ` + "`{{.TokenLabel}}`" + ` with your login and token.
8. The Dockerfile is multi-stage: one stage builds, and only the result is
   copied into the final image.

The labels come from build args. Declare them in the final stage, after
the last ` + "`FROM`" + `, or their values are empty:

` + "```dockerfile" + `
ARG LAB_LOGIN
ARG LAB_TOKEN
LABEL {{.LoginLabel}}="${LAB_LOGIN}" {{.TokenLabel}}="${LAB_TOKEN}"
` + "```" + `

## Build

` + "```sh" + `
docker build \
  --build-arg LAB_LOGIN={{.Login}} \
  --build-arg LAB_TOKEN={{.Token}} \
  -t {{.Image}} .
` + "```" + `

The image tag is the first 8 characters of the token: ` + "`{{.Tag}}`" + `. An image
with another tag fails the grading.

## Check it yourself

` + "```sh" + `
imagelab check --dockerfile Dockerfile \
  --login {{.Login}} --token {{.Token}} \
  {{.Image}}
` + "```" + `
`
